import { testOperator } from "./tester.js";

testOperator("not", {
  holds: [{ check: { not: { path: "EnableNetworkIsolation", equals: false } }, resource: { EnableNetworkIsolation: true } }],
  fails: [
    {
      check: { not: { path: "EnableNetworkIsolation", equals: false } },
      resource: { EnableNetworkIsolation: false },
      message: "expected not: EnableNetworkIsolation equals false",
    },
  ],
  refused: [{ check: { not: [{ path: "A", exists: true }] }, message: /\/check\/not: must be object, not an array/ }],
});
