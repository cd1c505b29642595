// Paged listings (spec §1: Limit and Marker) as the model answers them: items in a fixed order, a
// marker the decimal index of the next item [MODEL CHOICE, shared with the virtual KMS so the model
// can read the markers it issues]; a marker past the end or not a number is InvalidMarkerException.
import type { OutputPattern } from "../protocol/pattern.ts";
import type { Json } from "../protocol/step.ts";
import type { CallContext } from "./context.ts";
import { integer, optionalText, refuse, type Check } from "./refusal.ts";

export interface PageParams {
  limit: number;
  marker: string | undefined;
}

/** Reads Limit (1..`max`, default `fallback`) and Marker, or ValidationException. */
export function* pageParams(ctx: CallContext, max: number, fallback: number): Check<PageParams> {
  const limit = (yield* integer(ctx.input, "Limit", 1, max)) ?? fallback;
  return { limit, marker: yield* optionalText(ctx.input, "Marker", 1, 1024) };
}

/** The page `params` asks for: `{[name]: items, Truncated, NextMarker?}`. */
export function* page<T>(items: T[], params: PageParams, name: string, show: (item: T) => Json | OutputPattern): Check<OutputPattern> {
  const { limit, marker } = params;
  const start =
    marker === undefined
      ? 0
      : /^\d+$/.test(marker) && Number(marker) <= items.length
        ? Number(marker)
        : yield* refuse("InvalidMarkerException");
  const more = start + limit < items.length;
  return {
    [name]: items.slice(start, start + limit).map(show) as OutputPattern[],
    Truncated: more,
    ...(more ? { NextMarker: String(start + limit) } : {}),
  };
}
