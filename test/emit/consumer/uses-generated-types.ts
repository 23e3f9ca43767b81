// Type-checked with the generated packages under strict tsc: how a consuming team uses the types.
import type { GetRoomEventRequest, GetRoomEventResponse, GetRoomEventErrorCode, EventInfo } from "../../../generated/lcic/src/index.js";
import type { LiveRoomInfo, ConferenceRoomInfo } from "../../../generated/chat/src/index.js";
import type { DescribeUserEventRequest as TrtcRequest, EventMessage } from "../../../generated/trtc/src/index.js";
import { metadata } from "../../../generated/lcic/src/index.js";

export const request: GetRoomEventRequest = { RoomId: 1, SdkAppId: 1400000000, Page: 1, Limit: 200, Keyword: "MemberJoin" };
// @ts-expect-error Keyword is a literal union of the documented event types.
export const badKeyword: GetRoomEventRequest = { RoomId: 1, SdkAppId: 1, Page: 1, Limit: 1, Keyword: "Nope" };
// @ts-expect-error SdkAppId is required.
export const missing: GetRoomEventRequest = { RoomId: 1, Page: 1, Limit: 1 };

export function firstEventType(r: GetRoomEventResponse): EventInfo["EventType"] | undefined {
  // Events may be null on the wire.
  // @ts-expect-error possibly null
  void r.Events[0];
  return r.Events?.[0]?.EventType;
}

export const owner = (room: LiveRoomInfo): string => room.Owner_Account;
export const seatMode = (room: LiveRoomInfo): "FreeToTake" | "ApplyToTake" | 1 | 2 => room.TakeSeatMode;
export const conferenceStatus = (room: ConferenceRoomInfo): "None" | "NotStarted" | "Running" => room.RoomStatus;
export const eventTime = (m: EventMessage): number => m.Time;
export const trtc: TrtcRequest = {
  CommId: "1400188366_218695_1590065777",
  StartTime: 1590065777,
  EndTime: 1590065877,
  UserId: "u",
  RoomId: "1400",
  SdkAppId: 1400353843,
};
export const code: GetRoomEventErrorCode = "ResourceNotFound.Room";
// @ts-expect-error not a documented code of GetRoomEvent
export const badCode: GetRoomEventErrorCode = "FailedOperation.RoomNotEnd";
// The metadata is typed as the runtime reads it: data, not literal types.
export const maxPage: number | null | undefined = metadata.operations.getRoomEvent.pagination?.maxSize;
// @ts-expect-error an operation's pagination is null where it does not page
export const pageSize: number | null = metadata.operations.getRoomEvent.pagination.maxSize;
