// calendarDate: the value is a real calendar date written YYYYMMDD or YYYY-MM-DD.
import { isCalendarDate } from "../../domain/values.js";
import { is, leaf, LEAF_EVIDENCE } from "../leaf.js";
import type { ValueOperator } from "../operator.js";

type Format = "YYYYMMDD" | "YYYY-MM-DD";

export const calendarDate: ValueOperator<Format> = {
  key: "calendarDate",
  subject: true,
  schema: { enum: ["YYYYMMDD", "YYYY-MM-DD"] },
  doc: {
    signature: "path + calendarDate: YYYYMMDD",
    meaning: "a real calendar date in that format (20260230 is not)",
    example: "{ path: Tags.ReleaseDate, calendarDate: YYYYMMDD }",
  },
  evidence: () => LEAF_EVIDENCE,
  compile(arg, s) {
    return leaf(
      s,
      `${s.label} is a ${arg} date`,
      (a) => typeof a === "string" && isCalendarDate(a, arg),
      (a) => `${is(s, a)}, not a valid ${arg} calendar date`,
    );
  },
};
