// asText renders values the way String() does for JSON data, without calling methods the data names.
/* eslint-disable @typescript-eslint/no-base-to-string -- String() is the reference asText is compared with */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asText } from "../../src/io/text.js";

describe("asText", () => {
  it("is String() for every JSON value String() can render", () => {
    const renderable = fc.jsonValue().filter((v) => {
      try {
        String(v);
        return true;
      } catch {
        return false;
      }
    });
    fc.assert(
      fc.property(renderable, (value) => {
        expect(asText(value)).toBe(String(value));
      }),
    );
  });

  it("does not call a toString the data defines", () => {
    const hostile = JSON.parse('{"toString": "not a function", "valueOf": 1}') as unknown;
    expect(() => String(hostile)).toThrow(TypeError);
    expect(asText(hostile)).toBe("[object Object]");
    expect(asText([hostile, null, 2])).toBe("[object Object],,2");
  });
});
