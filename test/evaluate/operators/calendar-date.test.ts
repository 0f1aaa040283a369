import { testOperator } from "./tester.js";

testOperator("calendarDate", {
  holds: [
    { check: { path: "Environment.RELEASE_DATE", calendarDate: "YYYYMMDD" }, resource: { Environment: { RELEASE_DATE: "20240229" } } },
    { check: { path: "Environment.RELEASE_DATE", calendarDate: "YYYY-MM-DD" }, resource: { Environment: { RELEASE_DATE: "2026-12-31" } } },
  ],
  fails: [
    {
      name: "no 30 February",
      check: { path: "Environment.RELEASE_DATE", calendarDate: "YYYYMMDD" },
      resource: { Environment: { RELEASE_DATE: "20260230" } },
      message: 'Environment.RELEASE_DATE is "20260230", not a valid YYYYMMDD calendar date',
    },
    {
      name: "not a leap year",
      check: { path: "Environment.RELEASE_DATE", calendarDate: "YYYYMMDD" },
      resource: { Environment: { RELEASE_DATE: "21000229" } },
      message: "not a valid",
    },
    {
      name: "the other format",
      check: { path: "Environment.RELEASE_DATE", calendarDate: "YYYYMMDD" },
      resource: { Environment: { RELEASE_DATE: "2026-01-01" } },
      message: "not a valid",
    },
  ],
  refused: [
    { check: { path: "Environment.RELEASE_DATE", calendarDate: "DD.MM.YYYY" }, message: /\/check\/calendarDate: must be one of "YYYYMMDD", "YYYY-MM-DD"/ },
  ],
});
