import { describe, expect, it } from "vitest";
import {
  actionsBeyond,
  actionWithin,
  conditionValues,
  describeStatement,
  hasCondition,
  isAllow,
  PolicyShapeError,
  principalIsEveryone,
  principalServices,
  statementsOf,
  wildcardMatch,
  type Statement,
} from "../../src/evaluate/domain/iam.js";

/** The single statement of a policy whose Statement is `st`. */
function one(st: Record<string, unknown>): Statement {
  const list = statementsOf({ Version: "2012-10-17", Statement: st });
  expect(list).toHaveLength(1);
  return list[0]!;
}

const KMS_ALLOWED = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"];

describe("statementsOf", () => {
  it("reads a single Statement object as one statement", () => {
    const st = one({ Sid: "A", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" });
    expect(st).toEqual({
      index: 0,
      sid: "A",
      effect: "Allow",
      principal: "*",
      actions: ["kms:Decrypt"],
      notActions: undefined,
      condition: undefined,
    });
  });

  it("reads a Statement list in order, with indexes", () => {
    const list = statementsOf({
      Statement: [
        { Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt"] },
        { Sid: "deny", Effect: "Deny", NotAction: "kms:Decrypt", Condition: { Bool: { "aws:SecureTransport": "false" } } },
      ],
    });
    expect(list.map((s) => [s.index, s.sid, s.effect, s.actions, s.notActions])).toEqual([
      [0, undefined, "Allow", ["kms:Encrypt", "kms:Decrypt"], undefined],
      [1, "deny", "Deny", undefined, ["kms:Decrypt"]],
    ]);
    expect(list[1]!.condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
  });

  it("reads an empty Statement list as no statements", () => {
    expect(statementsOf({ Statement: [] })).toEqual([]);
  });

  it("tolerates missing or non-string Sid and Effect", () => {
    const st = one({ Sid: 3, Action: "s3:GetObject" });
    expect(st.sid).toBeUndefined();
    expect(st.effect).toBe("");
    expect(st.actions).toEqual(["s3:GetObject"]);
  });

  it.each([
    [null, "not a JSON object"],
    [[{ Effect: "Allow" }], "not a JSON object"],
    ["{}", "not a JSON object"],
    [42, "not a JSON object"],
    [undefined, "not a JSON object"],
    [{ Version: "2012-10-17" }, "no Statement"],
    [{ Statement: "Allow" }, "statement 1 is not an object"],
    [{ Statement: null }, "statement 1 is not an object"],
    [{ Statement: [{ Effect: "Allow" }, [{ Effect: "Allow" }]] }, "statement 2 is not an object"],
    [{ Statement: { Effect: "Allow", Condition: "aws:SecureTransport" } }, "Condition that is not an object"],
    [{ Statement: { Effect: "Allow", Condition: [] } }, "Condition that is not an object"],
    [{ Statement: { Effect: "Allow", Condition: null } }, "Condition that is not an object"],
    [{ Statement: { Effect: "Allow", Action: 5 } }, "Action must be a string"],
    [{ Statement: { Effect: "Allow", Action: ["kms:Decrypt", null] } }, "Action must be a string"],
    [{ Statement: [{}, { Effect: "Allow", NotAction: [{}] }] }, "statement 2 NotAction must be a string"],
  ])("throws PolicyShapeError for %j (%s)", (doc, message) => {
    expect(() => statementsOf(doc)).toThrow(PolicyShapeError);
    expect(() => statementsOf(doc)).toThrow(message);
  });
});

describe("isAllow", () => {
  it("is case-insensitive", () => {
    expect(isAllow(one({ Effect: "Allow" }))).toBe(true);
    expect(isAllow(one({ Effect: "allow" }))).toBe(true);
    expect(isAllow(one({ Effect: "ALLOW" }))).toBe(true);
  });

  it("is false for Deny or a missing Effect", () => {
    expect(isAllow(one({ Effect: "Deny" }))).toBe(false);
    expect(isAllow(one({}))).toBe(false);
    expect(isAllow(one({ Effect: "Allowed" }))).toBe(false);
  });
});

describe("principalServices", () => {
  it("reads a string or a list, lower-cased", () => {
    expect(principalServices(one({ Principal: { Service: "SageMaker.amazonaws.com" } }))).toEqual(["sagemaker.amazonaws.com"]);
    expect(principalServices(one({ Principal: { Service: ["sagemaker.amazonaws.com", "LOGS.amazonaws.com"] } }))).toEqual([
      "sagemaker.amazonaws.com",
      "logs.amazonaws.com",
    ]);
  });

  it("is empty without service principals", () => {
    expect(principalServices(one({ Principal: "*" }))).toEqual([]);
    expect(principalServices(one({ Principal: { AWS: "arn:aws:iam::111122223333:root" } }))).toEqual([]);
    expect(principalServices(one({}))).toEqual([]);
  });

  it("skips non-string items", () => {
    expect(principalServices(one({ Principal: { Service: [1, "ec2.amazonaws.com", null] } }))).toEqual(["ec2.amazonaws.com"]);
  });
});

describe("principalIsEveryone", () => {
  it("is true for *, {AWS: *} and an AWS list containing *", () => {
    expect(principalIsEveryone(one({ Principal: "*" }))).toBe(true);
    expect(principalIsEveryone(one({ Principal: { AWS: "*" } }))).toBe(true);
    expect(principalIsEveryone(one({ Principal: { AWS: ["arn:aws:iam::111122223333:root", "*"] } }))).toBe(true);
  });

  it("is false for named principals, services and a missing principal", () => {
    expect(principalIsEveryone(one({ Principal: { AWS: "arn:aws:iam::111122223333:root" } }))).toBe(false);
    expect(principalIsEveryone(one({ Principal: { AWS: ["arn:aws:iam::111122223333:root"] } }))).toBe(false);
    expect(principalIsEveryone(one({ Principal: { Service: "*" } }))).toBe(false);
    expect(principalIsEveryone(one({ Principal: { AWS: "arn:aws:iam::*:root" } }))).toBe(false);
    expect(principalIsEveryone(one({}))).toBe(false);
    expect(principalIsEveryone(one({ Principal: "arn:aws:iam::111122223333:root" }))).toBe(false);
  });
});

describe("hasCondition", () => {
  it("is true with at least one condition key", () => {
    expect(hasCondition(one({ Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } }))).toBe(true);
    expect(hasCondition(one({ Condition: { StringEquals: {}, Bool: { "aws:SecureTransport": "true" } } }))).toBe(true);
  });

  it("is false without Condition, with an empty one, or with only empty blocks", () => {
    expect(hasCondition(one({}))).toBe(false);
    expect(hasCondition(one({ Condition: {} }))).toBe(false);
    expect(hasCondition(one({ Condition: { StringEquals: {} } }))).toBe(false);
    expect(hasCondition(one({ Condition: { StringEquals: {}, StringLike: {} } }))).toBe(false);
  });

  it("does not count a block that is not an object", () => {
    expect(hasCondition(one({ Condition: { StringEquals: "aws:SourceAccount" } }))).toBe(false);
    expect(hasCondition(one({ Condition: { StringEquals: null } }))).toBe(false);
  });
});

describe("conditionValues", () => {
  it("returns the values of operator and key, matched case-insensitively", () => {
    const st = one({ Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } });
    expect(conditionValues(st, "StringEquals", "aws:SourceAccount")).toEqual(["111122223333"]);
    expect(conditionValues(st, "stringequals", "AWS:SOURCEACCOUNT")).toEqual(["111122223333"]);
    expect(conditionValues(one({ Condition: { STRINGEQUALS: { "Aws:SourceAccount": "1" } } }), "StringEquals", "aws:sourceaccount")).toEqual(["1"]);
  });

  it("reads a list of values as the list", () => {
    const st = one({ Condition: { StringEquals: { "aws:SourceAccount": ["1", "2"] } } });
    expect(conditionValues(st, "StringEquals", "aws:SourceAccount")).toEqual(["1", "2"]);
  });

  it("collects values from several blocks and keys that differ only in case", () => {
    const st = one({
      Condition: {
        StringEquals: { "aws:SourceAccount": "1", "aws:sourceaccount": ["2"] },
        stringEquals: { "AWS:SourceAccount": ["3", "4"] },
        StringLike: { "aws:SourceAccount": "5" },
      },
    });
    expect(conditionValues(st, "StringEquals", "aws:SourceAccount")).toEqual(["1", "2", "3", "4"]);
    expect(conditionValues(st, "StringLike", "aws:SourceAccount")).toEqual(["5"]);
  });

  it("is undefined when the operator or key is absent", () => {
    const st = one({ Condition: { StringEquals: { "aws:SourceAccount": "1" } } });
    expect(conditionValues(st, "StringLike", "aws:SourceAccount")).toBeUndefined();
    expect(conditionValues(st, "StringEquals", "aws:SourceArn")).toBeUndefined();
    // Qualified operators are different operators.
    expect(conditionValues(st, "ForAnyValue:StringEquals", "aws:SourceAccount")).toBeUndefined();
    expect(conditionValues(one({}), "StringEquals", "aws:SourceAccount")).toBeUndefined();
  });

  it("skips blocks that are not objects", () => {
    const st = one({ Condition: { StringEquals: null, stringequals: { "aws:SourceAccount": "1" } } });
    expect(conditionValues(st, "StringEquals", "aws:SourceAccount")).toEqual(["1"]);
  });

  it("an empty value list is present but empty", () => {
    expect(conditionValues(one({ Condition: { StringEquals: { "aws:SourceAccount": [] } } }), "StringEquals", "aws:SourceAccount")).toEqual([]);
  });
});

describe("wildcardMatch", () => {
  it("matches literally without wildcards, case-insensitively", () => {
    expect(wildcardMatch("kms:Decrypt", "kms:Decrypt")).toBe(true);
    expect(wildcardMatch("kms:Decrypt", "KMS:DECRYPT")).toBe(true);
    expect(wildcardMatch("KMS:decrypt", "kms:Decrypt")).toBe(true);
    expect(wildcardMatch("kms:Decrypt", "kms:DecryptX")).toBe(false);
    expect(wildcardMatch("kms:Decrypt", "kms:Decryp")).toBe(false);
    expect(wildcardMatch("", "")).toBe(true);
    expect(wildcardMatch("", "a")).toBe(false);
  });

  it("* matches any run of characters, including none", () => {
    expect(wildcardMatch("*", "")).toBe(true);
    expect(wildcardMatch("*", "anything:at all")).toBe(true);
    expect(wildcardMatch("kms:*", "kms:Decrypt")).toBe(true);
    expect(wildcardMatch("kms:*", "kms:")).toBe(true);
    expect(wildcardMatch("kms:*", "s3:GetObject")).toBe(false);
    expect(wildcardMatch("kms:GenerateDataKey*", "kms:GenerateDataKey")).toBe(true);
    expect(wildcardMatch("kms:GenerateDataKey*", "kms:generatedatakeywithoutplaintext")).toBe(true);
    expect(wildcardMatch("*Object", "s3:GetObject")).toBe(true);
    expect(wildcardMatch("*Object", "s3:GetObjectAcl")).toBe(false);
    expect(wildcardMatch("s3:*Object*", "s3:GetObjectAcl")).toBe(true);
    expect(wildcardMatch("**", "x")).toBe(true);
  });

  it("? matches exactly one character", () => {
    expect(wildcardMatch("kms:?ecrypt", "kms:Decrypt")).toBe(true);
    expect(wildcardMatch("kms:?ecrypt", "kms:ecrypt")).toBe(false);
    expect(wildcardMatch("kms:?ecrypt", "kms:DDecrypt")).toBe(false);
    expect(wildcardMatch("???", "abc")).toBe(true);
    expect(wildcardMatch("???", "ab")).toBe(false);
    expect(wildcardMatch("?", "")).toBe(false);
    expect(wildcardMatch("*?", "")).toBe(false);
    expect(wildcardMatch("*?", "a")).toBe(true);
  });

  it("backtracks to the last star", () => {
    expect(wildcardMatch("a*b*c", "aXbYbZc")).toBe(true);
    expect(wildcardMatch("a*b*c", "aXbYbZcd")).toBe(false);
    expect(wildcardMatch("a*b*c", "abc")).toBe(true);
    expect(wildcardMatch("a*b*c", "acb")).toBe(false);
    expect(wildcardMatch("*ab", "aab")).toBe(true);
    expect(wildcardMatch("*aab", "aaab")).toBe(true);
    expect(wildcardMatch("a*a*a", "aa")).toBe(false);
    expect(wildcardMatch("a*a*a", "aaa")).toBe(true);
    expect(wildcardMatch("*a?c", "xabcabd")).toBe(false);
    expect(wildcardMatch("*a?c", "xabdabc")).toBe(true);
  });

  it("a * in the pattern also matches a literal * in the value", () => {
    expect(wildcardMatch("a*", "a*")).toBe(true);
    expect(wildcardMatch("a*", "a*b")).toBe(true);
    expect(wildcardMatch("kms:*", "kms:Generate*Key")).toBe(true);
    expect(wildcardMatch("*c", "*bc")).toBe(true);
  });

  it("treats regex metacharacters literally", () => {
    expect(wildcardMatch("s3:Get.Object", "s3:GetXObject")).toBe(false);
    expect(wildcardMatch("s3:(Get)+", "s3:(get)+")).toBe(true);
  });

  it("handles 10,000-character pathological inputs correctly", () => {
    const value = "a".repeat(10_000);
    expect(wildcardMatch(`*${"a".repeat(50)}b`, value)).toBe(false);
    expect(wildcardMatch(`${"a*".repeat(5_000)}b`, value)).toBe(false);
    expect(wildcardMatch("a*".repeat(5_000), value)).toBe(true);
    expect(wildcardMatch("*a".repeat(5_000), value)).toBe(true);
    expect(wildcardMatch("*a".repeat(10_000), value)).toBe(true);
    expect(wildcardMatch("*a".repeat(10_001), value)).toBe(false);
    expect(wildcardMatch(`*${"?".repeat(9_999)}`, value)).toBe(true);
    expect(wildcardMatch(`*${"?".repeat(10_001)}`, value)).toBe(false);
    expect(wildcardMatch("*b", `${value}b`)).toBe(true);
  });
});

describe("actionWithin", () => {
  it("a plain action is within a pattern that matches it", () => {
    expect(actionWithin("kms:Decrypt", KMS_ALLOWED)).toBe(true);
    expect(actionWithin("kms:GenerateDataKeyWithoutPlaintext", KMS_ALLOWED)).toBe(true);
    expect(actionWithin("kms:GenerateDataKey", KMS_ALLOWED)).toBe(true);
    expect(actionWithin("kms:Decrypt", ["kms:*"])).toBe(true);
    expect(actionWithin("kms:Decrypt", ["*"])).toBe(true);
  });

  it("action names are case-insensitive", () => {
    expect(actionWithin("KMS:DECRYPT", ["kms:Decrypt"])).toBe(true);
    expect(actionWithin("kms:generatedatakeypair", KMS_ALLOWED)).toBe(true);
  });

  it("a plain action no pattern matches is not within", () => {
    expect(actionWithin("kms:ScheduleKeyDeletion", KMS_ALLOWED)).toBe(false);
    expect(actionWithin("kms:ReEncryptFrom", KMS_ALLOWED)).toBe(false);
    expect(actionWithin("kms:Decrypt", [])).toBe(false);
  });

  it("a wildcard action is within itself", () => {
    expect(actionWithin("kms:GenerateDataKey*", KMS_ALLOWED)).toBe(true);
    expect(actionWithin("KMS:generateDATAkey*", KMS_ALLOWED)).toBe(true);
    expect(actionWithin("kms:*Key", ["kms:*Key"])).toBe(true);
  });

  it("a wildcard action is within a prefix pattern it extends", () => {
    expect(actionWithin("kms:GenerateDataKeyPair*", KMS_ALLOWED)).toBe(true);
    expect(actionWithin("kms:GenerateDataKeyW?thoutPlaintext", KMS_ALLOWED)).toBe(true);
    expect(actionWithin("kms:GenerateDataKey*", ["kms:*"])).toBe(true);
    expect(actionWithin("kms:*", ["*"])).toBe(true);
  });

  it("a wildcard action that names more than the list is not within", () => {
    expect(actionWithin("kms:*", KMS_ALLOWED)).toBe(false);
    expect(actionWithin("kms:Gen*", KMS_ALLOWED)).toBe(false);
    expect(actionWithin("*", KMS_ALLOWED)).toBe(false);
    expect(actionWithin("kms:Decrypt*", KMS_ALLOWED)).toBe(false);
    expect(actionWithin("kms:?ecrypt", KMS_ALLOWED)).toBe(false);
    expect(actionWithin("kms:Gen?rateDataKey", KMS_ALLOWED)).toBe(false);
    expect(actionWithin("kms:GenerateDataKey*", ["kms:Generate*Key*"])).toBe(false);
    expect(actionWithin("kms:GenerateDataKey*", ["kms:GenerateDataKey?*"])).toBe(false);
  });
});

describe("actionsBeyond", () => {
  it("lists the actions outside the allowed list, keeping their spelling", () => {
    const st = one({ Effect: "Allow", Action: ["kms:Decrypt", "kms:*", "KMS:GenerateDataKey", "kms:Gen*", "kms:CreateGrant"] });
    expect(actionsBeyond(st, KMS_ALLOWED)).toEqual(["kms:*", "kms:Gen*", "kms:CreateGrant"]);
  });

  it("is empty when everything is within", () => {
    expect(actionsBeyond(one({ Action: ["kms:Encrypt", "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKey*"] }), KMS_ALLOWED)).toEqual([]);
    expect(actionsBeyond(one({ Action: "kms:Decrypt" }), KMS_ALLOWED)).toEqual([]);
    expect(actionsBeyond(one({ Effect: "Allow" }), KMS_ALLOWED)).toEqual([]);
  });

  it("NotAction is always beyond, even when its actions are in the list", () => {
    expect(actionsBeyond(one({ NotAction: "kms:Decrypt" }), KMS_ALLOWED)).toEqual(["NotAction kms:Decrypt"]);
    expect(actionsBeyond(one({ NotAction: ["kms:Encrypt", "s3:*"] }), ["*"])).toEqual(["NotAction kms:Encrypt", "NotAction s3:*"]);
  });
});

describe("describeStatement", () => {
  it("names a statement by Sid, else by its 1-based position", () => {
    const [a, b] = statementsOf({ Statement: [{ Sid: "AllowUse" }, {}] });
    expect(describeStatement(a!)).toBe('statement "AllowUse"');
    expect(describeStatement(b!)).toBe("statement 2");
  });
});
