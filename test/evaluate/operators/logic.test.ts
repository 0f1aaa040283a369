import { testOperator } from "./tester.js";

const kms = { type: "AWS::KMS::Key" };

testOperator("all", {
  holds: [
    {
      ...kms,
      check: {
        all: [
          { path: "KeyState", equals: "Enabled" },
          { path: "KeyRotationEnabled", equals: true },
        ],
      },
      resource: { KeyState: "Enabled", KeyRotationEnabled: true },
    },
  ],
  fails: [
    {
      name: "reports only the parts that fail",
      ...kms,
      check: {
        all: [
          { path: "KeyState", equals: "Enabled" },
          { path: "KeyRotationEnabled", equals: true },
        ],
      },
      resource: { KeyState: "Enabled", KeyRotationEnabled: false },
      message: "KeyRotationEnabled is false, expected true",
      evidence: [{ path: "KeyRotationEnabled", actual: false, expected: true }],
    },
  ],
  refused: [{ check: { all: [] }, message: /\/check\/all: must not be empty/ }],
});

testOperator("any", {
  holds: [
    {
      check: {
        any: [
          { path: "OutputDataConfig.KmsKeyId", exists: true },
          { path: "ResourceConfig.VolumeKmsKeyId", exists: true },
        ],
      },
      resource: { ResourceConfig: { VolumeKmsKeyId: "k" } },
    },
  ],
  fails: [
    {
      name: "reports every alternative",
      check: {
        any: [
          { path: "OutputDataConfig.KmsKeyId", exists: true },
          { path: "ResourceConfig.VolumeKmsKeyId", exists: true },
        ],
      },
      resource: {},
      message: "OutputDataConfig.KmsKeyId is missing; and ResourceConfig.VolumeKmsKeyId is missing",
      evidence: [
        {
          alternatives: [
            { path: "OutputDataConfig.KmsKeyId", actual: null },
            { path: "ResourceConfig.VolumeKmsKeyId", actual: null },
          ],
        },
      ],
    },
  ],
  refused: [{ check: { any: { path: "OutputDataConfig.KmsKeyId", exists: true } }, message: /\/check\/any: must be array/ }],
});
