import { getDirective } from '@graphql-tools/utils';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';

/** What a string argument or input field accepts: the schema's `@text` directive, or its defaults. */
export interface TextPolicy {
  max: number;
  /** Free text: tab and line breaks allowed. */
  lines: boolean;
}

const ONE_LINE: TextPolicy = { max: 200, lines: false };

// PostgreSQL refuses NUL in text; the other control characters, unpaired surrogates and the
// direction overrides and isolates (which make a text read otherwise than it is stored) have no
// place in a name, a code or a note either.
const ANY_CONTROL = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const CONTROL_BUT_LINES = /(?![\t\n\r])[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/** Why `text` breaks the policy, or null; never quoting the text. */
export function textProblem(text: string, policy: TextPolicy): string | null {
  if (text.length > policy.max) return `is ${text.length} characters long; at most ${policy.max} are allowed`;
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed()) return 'is not valid Unicode text (it holds an unpaired surrogate)';
  const control = (policy.lines ? CONTROL_BUT_LINES : ANY_CONTROL).exec(text);
  if (control) {
    const code = `U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return `holds the control character ${code} at character ${control.index + 1}; ${policy.lines ? 'free text allows tab and line breaks only' : 'it takes one line of text, without tabs or line breaks'}`;
  }
  return null;
}

/** A string-typed value in the document: an argument, with the value node it was given. */
interface TextArgument {
  label: string;
  type: GraphQLInputType;
  policy: TextPolicy;
  value: ValueNode;
}

/**
 * One input policy for every string the schema takes, arguments and input fields alike, checked
 * against the operation and its variables before anything runs: the check runs with the
 * document, so what it refuses never reaches a resolver, and a refusal names the argument and
 * says why, quoting none of the input. The plan (which arguments take text, under what policy) is
 * worked out once per document: Apollo hands over the same document object for the same text.
 */
export class InputPolicy {
  private readonly policies = new WeakMap<GraphQLArgument | GraphQLInputField, TextPolicy>();
  private readonly takesText = new Map<string, boolean>();
  private readonly plans = new WeakMap<DocumentNode, readonly TextArgument[]>();

  constructor(private readonly schema: GraphQLSchema) {}

  /** The first string in the operation that breaks its policy, as a BAD_USER_INPUT error; or null. */
  check(document: DocumentNode, variables: Record<string, unknown> | null | undefined): GraphQLError | null {
    for (const argument of this.plan(document)) {
      const value = argument.value.kind === Kind.VARIABLE ? variables?.[argument.value.name.value] : valueFromASTUntyped(argument.value, variables ?? undefined);
      const problem = this.walk(value, argument.type, argument.policy, argument.label);
      if (problem) return new GraphQLError(`${problem.label} ${problem.reason}`, { extensions: { code: 'BAD_USER_INPUT', argument: problem.label, http: { status: 400 } } });
    }
    return null;
  }

  private plan(document: DocumentNode): readonly TextArgument[] {
    let plan = this.plans.get(document);
    if (plan) return plan;
    const found: TextArgument[] = [];
    const typeInfo = new TypeInfo(this.schema);
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Argument: (node) => {
          const argument = typeInfo.getArgument();
          if (argument && this.mentionsText(getNamedType(argument.type))) found.push({ label: argument.name, type: argument.type, policy: this.policyOf(argument), value: node.value });
        },
      }),
    );
    plan = found;
    this.plans.set(document, plan);
    return plan;
  }

  /** Values as the client sent them, before coercion: anything not of the expected shape is left to GraphQL's own checks. */
  private walk(value: unknown, type: GraphQLInputType, policy: TextPolicy, label: string): { label: string; reason: string } | null {
    if (value === null || value === undefined) return null;
    if (isNonNullType(type)) return this.walk(value, type.ofType, policy, label);
    if (isListType(type)) {
      const items: unknown[] = Array.isArray(value) ? value : [value];
      for (const [index, item] of items.entries()) {
        const problem = this.walk(item, type.ofType, policy, Array.isArray(value) ? `${label}[${index}]` : label);
        if (problem) return problem;
      }
      return null;
    }
    if (isInputObjectType(type)) {
      if (typeof value !== 'object' || Array.isArray(value)) return null;
      for (const field of Object.values(type.getFields())) {
        const problem = this.walk((value as Record<string, unknown>)[field.name], field.type, this.policyOf(field), `${label}.${field.name}`);
        if (problem) return problem;
      }
      return null;
    }
    if ((type.name === 'String' || type.name === 'ID') && typeof value === 'string') {
      const reason = textProblem(value, policy);
      return reason ? { label, reason } : null;
    }
    return null;
  }

  private policyOf(target: GraphQLArgument | GraphQLInputField): TextPolicy {
    let policy = this.policies.get(target);
    if (!policy) {
      const text = getDirective(this.schema, target, 'text')?.[0] as Partial<TextPolicy> | undefined;
      policy = { max: text?.max ?? ONE_LINE.max, lines: text?.lines ?? ONE_LINE.lines };
      this.policies.set(target, policy);
    }
    return policy;
  }

  /** Whether a value of the type may hold a string: String, ID, or an input object with one somewhere. */
  private mentionsText(type: GraphQLNamedType): boolean {
    let answer = this.takesText.get(type.name);
    if (answer === undefined) {
      answer = holdsText(type, new Set());
      this.takesText.set(type.name, answer);
    }
    return answer;
  }
}

function holdsText(type: GraphQLNamedType, seen: Set<string>): boolean {
  if (type.name === 'String' || type.name === 'ID') return true;
  if (!isInputObjectType(type) || seen.has(type.name)) return false;
  seen.add(type.name);
  return Object.values(type.getFields()).some((field) => holdsText(getNamedType(field.type), seen));
}
