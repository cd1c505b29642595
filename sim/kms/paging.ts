// Paged listings of the virtual KMS (spec §1: Limit and Marker): items in a fixed order, a marker the
// decimal index of the next item; one past the end or not a number is InvalidMarkerException.
import type { Json, JsonObject } from "../../protocol/step.ts";
import { optionalInteger, optionalString, Rejection } from "../wire/validate.ts";

export interface PageParams {
  limit: number;
  marker: string | undefined;
}

/** Reads Limit (1..`max`, default `fallback`) and Marker. */
export function pageParams(input: JsonObject, max: number, fallback: number): PageParams | Rejection {
  const limit = optionalInteger(input, "Limit", 1, max);
  if (limit instanceof Rejection) return limit;
  const marker = optionalString(input, "Marker", 1, 1024);
  if (marker instanceof Rejection) return marker;
  return { limit: limit ?? fallback, marker };
}

/** The page `params` asks for: `{[name]: items, Truncated, NextMarker?}`. */
export function page<T>(items: T[], params: PageParams, name: string, show: (item: T) => Json): JsonObject | Rejection {
  const { limit, marker } = params;
  if (marker !== undefined && !(/^\d+$/.test(marker) && Number(marker) <= items.length))
    return new Rejection("InvalidMarkerException", "The marker is not valid.");
  const start = marker === undefined ? 0 : Number(marker);
  const truncated = start + limit < items.length;
  return {
    [name]: items.slice(start, start + limit).map(show),
    Truncated: truncated,
    ...(truncated ? { NextMarker: String(start + limit) } : {}),
  };
}
