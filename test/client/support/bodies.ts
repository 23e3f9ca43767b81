// Fixtures for the end-to-end tests of the generated clients: credentials, a fixed clock, and
// response bodies that are valid per the generated validators (the spec's own examples, varied).
import type { DescribeRoomStatisticsResponse, EventInfo, GetRoomEventResponse, MemberRecord } from "../../../generated/lcic/src/index.js";
import { ApiError } from "../../../generated/lcic/src/index.js";
import type { Clock } from "../../../generated/runtime/src/index.js";

export const SECRET_ID = "AKIDgeneratedClientTest01";
export const SECRET_KEY = "generated-client-SECRET-0123456789";
export const CHAT_SDKAPPID = 1400123456;
export const CHAT_IDENTIFIER = "administrator";
export const CHAT_KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

/** 2026-01-15T00:00:00Z: the clock of every client in these tests. */
export const NOW_MS = Date.UTC(2026, 0, 15);
export const NOW_S = NOW_MS / 1000;

/** A clock that never moves; sleeps (retry backoff) return at once. */
export const fixedClock = (sleeps: number[] = []): Clock => ({
  now: () => NOW_MS,
  sleep: async (ms: number) => {
    sleeps.push(ms);
  },
});

/** The rejection of `promise`, which must be an ApiError of the generated runtime. */
export async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const outcome = await promise.then(
    (value: unknown) => ({ resolved: true as const, value }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  if (!(outcome.error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(outcome.error)}`);
  return outcome.error;
}

// ---------------------------------------------------------------------------------------------
// LCIC

/** Event `i` of a room: its Timestamp is unique, so every item can be told apart. */
export const eventInfo = (i: number): EventInfo => ({
  Timestamp: 1_767_000_000 + i,
  EventType: i % 2 ? "MemberQuit" : "MemberJoin",
  EventData: { RoomId: 1, UserId: `user-${i}` },
});

/** Member record `i` (all 21 members, as the CN metadata example); UserId is unique. */
export const memberRecord = (i: number): MemberRecord => ({
  UserId: `member-${i}`,
  UserName: `Name ${i}`,
  PresentTime: 60,
  Camera: 1,
  Mic: 1,
  Silence: 0,
  AnswerQuestions: 0,
  HandUps: 0,
  FirstJoinTimestamp: 1_767_000_000,
  LastQuitTimestamp: 1_767_000_060,
  Rewords: 0,
  IPAddress: "192.0.2.1",
  Location: "country",
  Device: 5,
  PerMemberMicCount: 0,
  PerMemberMessageCount: 0,
  Role: 0,
  GroupId: "",
  SubGroupId: null,
  Stage: 0,
  CurrentState: 1,
});

/** The page (1-based) of `total` items of `make`, `limit` per page. */
function slice<T>(total: number, page: number, limit: number, make: (i: number) => T): T[] {
  const from = (page - 1) * limit;
  return Array.from({ length: Math.max(0, Math.min(limit, total - from)) }, (_, k) => make(from + k));
}

export const roomEventPage = (total: number, page: number, limit: number, requestId: string): GetRoomEventResponse => ({
  Total: total,
  Events: slice(total, page, limit, eventInfo),
  RequestId: requestId,
});

export const roomStatisticsPage = (total: number, page: number, limit: number, requestId: string): DescribeRoomStatisticsResponse => ({
  PeakMemberNumber: total,
  MemberNumber: total,
  Total: total,
  MemberRecords: slice(total, page, limit, memberRecord),
  RealStartTime: 1_767_000_000,
  RealEndTime: 1_767_003_600,
  MessageCount: 0,
  MicCount: 0,
  RequestId: requestId,
});

/** A TC3 success body around `payload` (which carries its RequestId). */
export const tc3Body = (payload: object) => ({ Response: payload });

/** A TC3 error body. */
export const tc3ErrorBody = (code: string, message: string, requestId: string) => ({
  Response: { Error: { Code: code, Message: message }, RequestId: requestId },
});

// ---------------------------------------------------------------------------------------------
// Chat

/**
 * GetLiveRoomInfo's OK envelope as raw text, Owner_Account as the bare JSON number
 * 144115233775727695 (JSON.stringify cannot write it: as a double it is 144115233775727700).
 */
export const LIVE_ROOM_INFO_TEXT =
  '{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"RequestId":"Id-8c9858f01e954611ae2d4c1b1ed7d583-O-Seq-52720",' +
  '"Response":{"RoomInfo":{"RoomId":"rid-123","RoomName":"rname-123","RoomType":"Live","Owner_Account":144115233775727695,' +
  '"CreateTime":1693271354,"IsSeatEnabled":true,"TakeSeatMode":"ApplyToTake","MaxSeatCount":8,"MaxMemberCount":300,' +
  '"IsMessageDisabled":false,"CoverURL":"https://example.com/cover.png","Category":[1,2,3],"ActivityStatus":1,' +
  '"ViewCount":10,"IsPublicVisible":true}}}';

export const chatFailBody = (code: number, info: string, requestId: string) => ({
  ActionStatus: "FAIL",
  ErrorCode: code,
  ErrorInfo: info,
  RequestId: requestId,
});
