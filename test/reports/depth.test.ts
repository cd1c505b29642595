// The per-operation depth table reads the campaign's call probes: ok, deep (past identification and
// validation) and denied shares, and every error answered.
import { describe, expect, it } from "vitest";
import { depthMarkdown, depthRows } from "../../reports/depth.ts";

const probes = {
  "call:Encrypt:ok": 6,
  "call:Encrypt:NotFoundException": 2,
  "call:Encrypt:AccessDeniedException": 1,
  "call:Encrypt:DisabledException": 1,
  "call:ListAliases:InvalidMarkerException": 1,
  "fault:hsm-crash": 3,
};

describe("depth per operation", () => {
  it("counts calls, ok, deep and denied from the probes, ignoring other probes", () => {
    const rows = depthRows(probes);
    expect(rows.map(({ neverAnswered, ...counts }) => (void neverAnswered, counts))).toEqual([
      {
        operation: "Encrypt",
        calls: 10,
        ok: 6,
        deep: 8,
        denied: 1,
        errors: { NotFoundException: 2, AccessDeniedException: 1, DisabledException: 1 },
      },
      { operation: "ListAliases", calls: 1, ok: 0, deep: 0, denied: 0, errors: { InvalidMarkerException: 1 } },
    ]);
    expect(rows[0]!.neverAnswered).toContain("KeyUnavailableException");
    expect(rows[0]!.neverAnswered).not.toContain("DisabledException");
    expect(rows[1]!.neverAnswered).not.toContain("InvalidMarkerException");
  });

  it("renders one Markdown row per operation, with the documented errors never answered", () => {
    const lines = depthMarkdown(probes);
    expect(lines[0]).toBe("## Depth per operation");
    const encrypt = lines.find((l) => l.startsWith("| Encrypt |"))!;
    expect(encrypt).toContain("| Encrypt | 10 | 60% | 80% | 10% | AccessDeniedException 1, DisabledException 1, NotFoundException 2 | ");
    const never = encrypt.split(" | ").at(-1)!;
    expect(never).toContain("KeyUnavailableException");
    expect(never).not.toContain("DisabledException");
    expect(lines.find((l) => l.startsWith("| ListAliases |"))).not.toContain("InvalidMarkerException, ");
    expect(lines.find((l) => l.startsWith("Documented errors never answered:"))).toMatch(/^Documented errors never answered: \d+\.$/);
    expect(depthMarkdown({})).toEqual([]);
  });
});
