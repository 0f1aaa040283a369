import { testOperator } from "./tester.js";

testOperator("calendarDate", {
  holds: [
    { check: { path: "Release", calendarDate: "YYYYMMDD" }, resource: { Release: "20240229" } },
    { check: { path: "Release", calendarDate: "YYYY-MM-DD" }, resource: { Release: "2026-12-31" } },
  ],
  fails: [
    {
      name: "no 30 February",
      check: { path: "Release", calendarDate: "YYYYMMDD" },
      resource: { Release: "20260230" },
      message: 'Release is "20260230", not a valid YYYYMMDD calendar date',
    },
    { name: "not a leap year", check: { path: "Release", calendarDate: "YYYYMMDD" }, resource: { Release: "21000229" }, message: "not a valid" },
    { name: "the other format", check: { path: "Release", calendarDate: "YYYYMMDD" }, resource: { Release: "2026-01-01" }, message: "not a valid" },
  ],
  refused: [{ check: { path: "Release", calendarDate: "DD.MM.YYYY" }, message: /\/check\/calendarDate: must be one of "YYYYMMDD", "YYYY-MM-DD"/ }],
});
