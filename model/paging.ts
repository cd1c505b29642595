// Paged listings (spec §1: Limit and Marker) as the model answers them: items in a fixed order, a
// marker the decimal index of the next item [MODEL CHOICE, shared with the virtual KMS so the model
// can read the markers it issues]; a marker past the end or not a number is InvalidMarkerException.
import type { Json } from "../protocol/step.ts";
import type { CallContext } from "./context.ts";
import type { OutputPattern } from "../protocol/pattern.ts";
import { refuse, text } from "./refuse.ts";

export interface PageParams {
  limit: number;
  marker: string | undefined;
}

/** Reads Limit (1..`max`, default `fallback`) and Marker, or ValidationException. */
export function pageParams(ctx: CallContext, max: number, fallback: number): PageParams {
  const raw = ctx.input["Limit"];
  if (raw !== undefined && raw !== null && (typeof raw !== "number" || !Number.isInteger(raw) || raw < 1 || raw > max))
    refuse("ValidationException");
  return { limit: typeof raw === "number" ? raw : fallback, marker: text(ctx.input, "Marker", 1, 1024, false) };
}

/** The page `params` asks for: `{[name]: items, Truncated, NextMarker?}`. */
export function page<T>(items: T[], params: PageParams, name: string, show: (item: T) => Json | OutputPattern): OutputPattern {
  const { limit, marker } = params;
  const start =
    marker === undefined ? 0 : /^\d+$/.test(marker) && Number(marker) <= items.length ? Number(marker) : refuse("InvalidMarkerException");
  const more = start + limit < items.length;
  return {
    [name]: items.slice(start, start + limit).map(show) as OutputPattern[],
    Truncated: more,
    ...(more ? { NextMarker: String(start + limit) } : {}),
  };
}
