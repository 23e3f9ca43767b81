// Types of stat-stamp.js (plain JavaScript: see there).
export declare const RACY_MARGIN_NS: bigint;
export declare function statStamp(s: { size: bigint; mtimeNs: bigint; ctimeNs: bigint; ino: bigint }): string;
export declare function settledStamp(stamp: unknown, recordedAtNs: unknown): boolean;
