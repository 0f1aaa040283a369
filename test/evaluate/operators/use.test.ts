import { testOperator } from "./tester.js";

const definitions = {
  isolated: { path: "EnableNetworkIsolation", equals: true },
  inVpc: { all: [{ use: "isolated" }, { path: "VpcConfig", exists: true }] },
  loopA: { use: "loopB" },
  loopB: { use: "loopA" },
};

testOperator("use", {
  holds: [{ check: { use: "inVpc" }, definitions, resource: { EnableNetworkIsolation: true, VpcConfig: { SecurityGroupIds: [], Subnets: [] } } }],
  fails: [{ check: { use: "inVpc" }, definitions, resource: { EnableNetworkIsolation: true }, message: "VpcConfig is missing" }],
  refused: [
    { check: { use: "isolatd" }, definitions, message: /\/check\/use: no definition named "isolatd"; did you mean "isolated"\?/ },
    { check: { use: "loopA" }, definitions, message: /\/definitions\/loopB\/use: definition "loopA" uses itself \(loopA → loopB → loopA\)/ },
    { check: { use: 3 }, definitions, message: /\/check\/use: must be string/ },
  ],
});
