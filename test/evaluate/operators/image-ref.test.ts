import { testOperator } from "./tester.js";

const model = { type: "AWS::SageMaker::Model" };
const image = (ref: string) => ({ PrimaryContainer: { Image: ref } });

testOperator("imageRef", {
  holds: [
    {
      ...model,
      check: { path: "PrimaryContainer.Image", imageRef: { path: "tag", notEquals: "latest" } },
      resource: image("111122223333.dkr.ecr.eu-west-1.amazonaws.com/acme-ml-rc:1.4.2"),
    },
    {
      name: "a digest",
      ...model,
      check: { path: "PrimaryContainer.Image", imageRef: { path: "digest", regex: "^sha256:" } },
      resource: image("repo@sha256:abc"),
    },
    {
      name: "the registry",
      ...model,
      check: { path: "PrimaryContainer.Image", imageRef: { path: "registry", equals: "localhost:5000" } },
      resource: image("localhost:5000/a/b:1"),
    },
  ],
  fails: [
    {
      name: "no tag means latest",
      ...model,
      check: { path: "PrimaryContainer.Image", imageRef: { path: "tag", notEquals: "latest" } },
      resource: image("acme-ml-rc"),
      message: 'tag is "latest"',
    },
    {
      name: "empty is not a reference",
      ...model,
      check: { path: "PrimaryContainer.Image", imageRef: { path: "tag", exists: true } },
      resource: image(""),
      message: "PrimaryContainer.Image is not an image reference",
    },
  ],
});
