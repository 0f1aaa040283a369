import { describe, expect, it } from "vitest";
import { compilePath, PathSyntaxError } from "../../src/evaluate/path.js";
import type { Frame } from "../../src/evaluate/language/types.js";

const RESOURCE = {
  TrainingJobName: "acme-ml-train",
  VpcConfig: { SecurityGroupIds: ["sg-1", "sg-2"], Subnets: ["subnet-1"] },
  ModelPackages: [
    {
      ModelApprovalStatus: "Approved",
      Tags: [
        { Key: "a", Value: "1" },
        { Key: "b", Value: "2" },
      ],
    },
    { ModelApprovalStatus: "Rejected", Tags: [] },
    { Tags: [{ Key: "c", Value: "3" }] },
  ],
  Count: 0,
  Enabled: false,
  Nothing: null,
  Empty: "",
  "aws:tag": "colon",
};

const arnCalls: unknown[][] = [];
const FRAME = {
  resource: RESOURCE,
  type: "AWS::SageMaker::TrainingJob",
  id: "acme-ml-train",
  index: {
    accountId: "111122223333",
    region: "eu-west-1",
    arnOf: (...args: unknown[]) => {
      arnCalls.push(args);
      return "arn:aws:sagemaker:eu-west-1:111122223333:training-job/acme-ml-train";
    },
  },
} as unknown as Frame;

const get = (path: string, value: unknown = RESOURCE) => compilePath(path).get(value, FRAME);
const getAll = (path: string, value: unknown = RESOURCE) => compilePath(path).getAll(value, FRAME);

describe("plain paths", () => {
  it("reads top-level and nested fields", () => {
    expect(get("TrainingJobName")).toBe("acme-ml-train");
    expect(get("VpcConfig.Subnets")).toEqual(["subnet-1"]);
    expect(get("aws:tag")).toBe("colon");
  });

  it("returns falsy values as they are", () => {
    expect(get("Count")).toBe(0);
    expect(get("Enabled")).toBe(false);
    expect(get("Nothing")).toBe(null);
    expect(get("Empty")).toBe("");
    expect(getAll("Count")).toEqual([0]);
    expect(getAll("Nothing")).toEqual([null]);
  });

  it("is undefined (getAll: no values) when a field or an intermediate is missing", () => {
    expect(get("Missing")).toBeUndefined();
    expect(get("Missing.Deeper.Still")).toBeUndefined();
    expect(get("VpcConfig.Missing")).toBeUndefined();
    expect(getAll("Missing.Deeper")).toEqual([]);
    expect(getAll("VpcConfig.Missing")).toEqual([]);
  });

  it("does not step into strings, numbers, null or arrays", () => {
    expect(get("TrainingJobName.length")).toBeUndefined();
    expect(get("Count.x")).toBeUndefined();
    expect(get("Nothing.x")).toBeUndefined();
    // No indexing into lists without [].
    expect(get("VpcConfig.SecurityGroupIds.0")).toBeUndefined();
    expect(get("VpcConfig.SecurityGroupIds.length")).toBeUndefined();
    expect(get("ModelPackages.ModelApprovalStatus")).toBeUndefined();
  });

  it("reads nothing from a value that is not an object", () => {
    expect(get("A", undefined)).toBeUndefined();
    expect(get("A", "A")).toBeUndefined();
    expect(getAll("A", 5)).toEqual([]);
  });

  it("is single-valued and names its root field", () => {
    const p = compilePath("VpcConfig.Subnets");
    expect(p.multi).toBe(false);
    expect(p.rootField).toBe("VpcConfig");
    expect(p.text).toBe("VpcConfig.Subnets");
  });

  it("getAll of a list without [] is one value, the list", () => {
    expect(getAll("VpcConfig.Subnets")).toEqual([["subnet-1"]]);
  });
});

describe("[] flattening", () => {
  it("takes every item of a list", () => {
    expect(getAll("VpcConfig.SecurityGroupIds[]")).toEqual(["sg-1", "sg-2"]);
    expect(get("VpcConfig.SecurityGroupIds[]")).toEqual(["sg-1", "sg-2"]);
    const p = compilePath("VpcConfig.SecurityGroupIds[]");
    expect(p.multi).toBe(true);
    expect(p.rootField).toBe("VpcConfig");
  });

  it("reads a field of every item, skipping items without it", () => {
    expect(getAll("ModelPackages[].ModelApprovalStatus")).toEqual(["Approved", "Rejected"]);
  });

  it("flattens at several levels", () => {
    expect(getAll("ModelPackages[].Tags[]")).toEqual([
      { Key: "a", Value: "1" },
      { Key: "b", Value: "2" },
      { Key: "c", Value: "3" },
    ]);
    expect(getAll("ModelPackages[].Tags[].Key")).toEqual(["a", "b", "c"]);
    const nested = { A: [{ B: [{ C: [1, 2] }, { C: [3] }] }, { B: [{ C: [] }, { C: [4] }] }] };
    expect(getAll("A[].B[].C[]", nested)).toEqual([1, 2, 3, 4]);
    expect(getAll("A[].B[].C", nested)).toEqual([[1, 2], [3], [], [4]]);
  });

  it("flattens only one level", () => {
    expect(getAll("A[]", { A: [[1, 2], [3]] })).toEqual([[1, 2], [3]]);
  });

  it("gives nothing for a missing list, an empty list, or a field that is not a list", () => {
    expect(getAll("Missing[]")).toEqual([]);
    expect(getAll("Missing[].X")).toEqual([]);
    expect(getAll("Tags[]", { Tags: [] })).toEqual([]);
    expect(getAll("TrainingJobName[]")).toEqual([]);
    expect(getAll("VpcConfig[]")).toEqual([]);
  });

  it("skips items that are not objects when reading their fields", () => {
    const value = { Items: ["x", 1, null, ["Name"], { Name: "ok" }, { Other: 1 }] };
    expect(getAll("Items[].Name", value)).toEqual(["ok"]);
  });

  it("keeps null and other non-object items, drops undefined ones", () => {
    expect(getAll("Items[]", { Items: ["x", 1, null, false, undefined] })).toEqual(["x", 1, null, false]);
  });
});

describe("specials", () => {
  it("name the resource itself", () => {
    expect(get("$id")).toBe("acme-ml-train");
    expect(get("$type")).toBe("AWS::SageMaker::TrainingJob");
    expect(get("$accountId")).toBe("111122223333");
    expect(get("$region")).toBe("eu-west-1");
    expect(getAll("$id")).toEqual(["acme-ml-train"]);
  });

  it("$arn asks the region for the resource's ARN", () => {
    arnCalls.length = 0;
    expect(get("$arn")).toBe("arn:aws:sagemaker:eu-west-1:111122223333:training-job/acme-ml-train");
    expect(arnCalls).toEqual([["AWS::SageMaker::TrainingJob", RESOURCE]]);
  });

  it("read the frame, not the value", () => {
    expect(get("$id", { $id: "from value" })).toBe("acme-ml-train");
    expect(get("$id", undefined)).toBe("acme-ml-train");
  });

  it("are single-valued with their own text as root", () => {
    const p = compilePath("$region");
    expect(p.multi).toBe(false);
    expect(p.rootField).toBe("$region");
  });
});

describe("syntax", () => {
  it.each(["", ".", "A.", ".A", "A..B", "A[]B", "A[].", "[]", "A[][]", "A[0]", "A B", "A.b c", "$id.x", "$unknown", "$", "A.$id", "A/B", "A[", "A]", "A*"])(
    "rejects %j",
    (text) => {
      expect(() => compilePath(text)).toThrow(PathSyntaxError);
    },
  );

  it("accepts the characters AWS field names use", () => {
    for (const text of ["a_b", "aws:SourceArn", "x-y", "@type", "A1.B2[]", "0"]) {
      expect(() => compilePath(text)).not.toThrow();
    }
  });
});

describe("own properties only", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "constructor.name", "__proto__.constructor"])(
    "%s is undefined on a plain object",
    (path) => {
      expect(get(path, {})).toBeUndefined();
      expect(get(path, { A: 1 })).toBeUndefined();
      expect(getAll(path, {})).toEqual([]);
    },
  );

  it("not through [] either", () => {
    expect(getAll("Items[].constructor", { Items: [{}, { constructor: "own" }] })).toEqual(["own"]);
    expect(getAll("constructor[]", {})).toEqual([]);
  });

  it("own fields with those names are read", () => {
    expect(get("constructor", { constructor: "c" })).toBe("c");
    expect(get("toString", { toString: 1 })).toBe(1);
    expect(get("__proto__.x", JSON.parse('{"__proto__": {"x": 2}}'))).toBe(2);
  });

  it("inherited fields of other objects are not read", () => {
    const child = Object.create({ Inherited: "yes" }) as Record<string, unknown>;
    child.Own = "own";
    expect(get("Own", child)).toBe("own");
    expect(get("Inherited", child)).toBeUndefined();
  });
});
