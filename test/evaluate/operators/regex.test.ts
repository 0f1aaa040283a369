import { testOperator } from "./tester.js";

const repo = { type: "AWS::ECR::Repository" };

testOperator("regex", {
  holds: [
    { ...repo, check: { path: "repositoryName", regex: "^{tagPrefix}-{teamProject}$" }, resource: { repositoryName: "acme-ml-rc-fraud-detection" } },
    { name: "flags i", ...repo, check: { path: "repositoryName", regex: { pattern: "^ACME-", flags: "i" } }, resource: { repositoryName: "acme-ml-x" } },
    {
      name: "config values are escaped",
      ...repo,
      config: { tagPrefix: "a.b" },
      check: { path: "repositoryName", regex: "^{tagPrefix}$" },
      resource: { repositoryName: "a.b" },
    },
  ],
  fails: [
    {
      ...repo,
      check: { path: "repositoryName", regex: "^{tagPrefix}-" },
      resource: { repositoryName: "legacy" },
      message: 'repositoryName "legacy" does not match /^{tagPrefix}-/',
    },
    {
      name: "an escaped config value matches only itself",
      ...repo,
      config: { tagPrefix: "a.b" },
      check: { path: "repositoryName", regex: "^{tagPrefix}$" },
      resource: { repositoryName: "axb" },
      message: "does not match",
    },
    { name: "not a string", ...repo, check: { path: "images", regex: "^x" }, resource: { images: [] }, message: "images is [], expected text matching /^x/" },
  ],
  refused: [
    {
      ...repo,
      check: { path: "repositoryName", regex: "^(?=a)" },
      message: /\/check\/regex: invalid regex \/\^\(\?=a\)\/: not supported by the linear-time regex engine/,
    },
    { ...repo, check: { path: "repositoryName", regex: "^{accountId}$" }, message: /\/check\/regex: \{accountId\} cannot be used in a regex/ },
    { ...repo, check: { path: "repositoryName", regex: { pattern: "^a", flags: "g" } }, message: /\/check\/regex\/flags: must be one of "", "i"/ },
  ],
});
