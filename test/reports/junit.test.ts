// junit.xml is valid against the JUnit schema CI systems read (test/fixtures/junit.xsd, checked by
// libxml2's xmllint), with one case per seed, a failure per failing seed and its repro command.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { campaignJunit } from "../../reports/junit.ts";
import { fixtureReport } from "../support/report-fixture.ts";

const schema = { fileName: "junit.xsd", contents: readFileSync("test/fixtures/junit.xsd", "utf8") };

async function validate(xml: string) {
  return validateXML({ xml: [{ fileName: "junit.xml", contents: xml }], schema: [schema] });
}

describe("junit.xml", () => {
  it("is valid against the JUnit schema, with a case per seed and failures carrying the repro command", async () => {
    const xml = campaignJunit(fixtureReport());
    const result = await validate(xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(7); // 6 seeds and the coverage case
    expect(xml).toMatch(/<testsuite name="kmsim.default" tests="7" failures="2" errors="0" skipped="1">/);
    expect(xml).toMatch(/<failure type="mismatch" message="mismatch at step 3: the script expected[^"]*">/);
    expect(xml).toContain("re-run:  npx kmsim run --seed 2 --scenario default --steps 60");
    expect(xml).toContain("replay:  npx kmsim replay repro-default-2.json");
  });

  it("says an incomplete run skipped seeds, still valid", async () => {
    const xml = campaignJunit(fixtureReport([1, 3]));
    expect((await validate(xml)).valid).toBe(true);
    expect(xml).toMatch(
      /<testcase classname="kmsim.default" name="seeds not run">\s*<skipped message="stopped \(interrupted\): 4 seeds not run: 2, 4..6"\/>/,
    );
  });

  it("is refused by the schema when broken (the check can fail)", async () => {
    const broken = campaignJunit(fixtureReport([1])).replace(/ failures="\d+"/, ' failures="many"');
    expect((await validate(broken)).valid).toBe(false);
  });
});
