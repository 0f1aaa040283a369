import { testOperator } from "./tester.js";

const repo = { type: "AWS::ECR::Repository" };
const images = (n: number) => ({ images: Array.from({ length: n }, (_, i) => ({ imageDigest: `sha256:${i}`, imageTags: [`v${i}`] })) });

testOperator("count", {
  holds: [
    { ...repo, check: { count: { path: "images[]", lte: "{ecr.keepImages}" } }, resource: images(10) },
    { name: "several bounds", ...repo, check: { count: { path: "images[]", gte: 1, lt: 3 } }, resource: images(2) },
    { name: "where selects", ...repo, check: { count: { path: "images[]", where: { path: "imageTags", empty: true }, equals: 0 } }, resource: images(3) },
  ],
  fails: [
    {
      ...repo,
      check: { count: { path: "images[]", lte: "{ecr.keepImages}" } },
      resource: images(11),
      message: "images[] has 11 items, expected ≤ 10",
      evidence: [{ path: "images[]", count: 11 }],
    },
    { name: "one item", ...repo, check: { count: { path: "images[]", equals: 0 } }, resource: images(1), message: "images[] has 1 item, expected = 0" },
  ],
  refused: [
    { ...repo, check: { count: { path: "images[]" } }, message: /\/check\/count: needs at least one of equals, lt, lte, gt, gte/ },
    {
      name: "a bound that is not a number",
      ...repo,
      check: { count: { path: "images[]", lte: "{tagPrefix}" } },
      message: /\/check\/count\/lte: lte takes a number/,
    },
  ],
});
