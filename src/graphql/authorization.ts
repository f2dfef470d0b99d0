import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLFieldConfig, type GraphQLSchema } from 'graphql';
import { PERSONAL_DATA_ROLES, hasAnyRole, type Role } from '../auth/roles.js';
import { ForbiddenError } from '../common/errors.js';
import { maskName, maskWholly } from '../profile/person.js';
import type { GraphQLContext } from './context.js';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Enforces the schema's own statements of who may do what:
 * - `@auth(roles: [...])` on a field (or on its type, for every field of the type): other
 *   callers get FORBIDDEN naming the roles allowed. Every root field must state its roles, so
 *   a new query or mutation cannot be added open by mistake: the schema does not build.
 * - `@personal(kind: ...)` on a field holding a natural person's data: roles that do not need it
 *   get it masked, and the reads in clear are noted for the audit trail.
 */
export function applyAuthorization(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const type = schema.getType(typeName)!;
      const auth = (getDirective(schema, field, 'auth')?.[0] ?? getDirective(schema, type, 'auth')?.[0]) as { roles: Role[] } | undefined;
      if (!auth && ROOT_TYPES.has(typeName)) throw new Error(`${typeName}.${fieldName} states no roles: add @auth(roles: [...])`);
      const personal = getDirective(schema, field, 'personal')?.[0] as { kind: PersonalKind } | undefined;
      let wrapped: GraphQLFieldConfig<unknown, GraphQLContext> = field;
      if (personal) wrapped = maskPersonal(wrapped, personal.kind, typeName);
      if (auth) wrapped = requireRoles(wrapped, auth.roles, `${typeName}.${fieldName}`);
      return wrapped;
    },
  });
}

function requireRoles(field: GraphQLFieldConfig<unknown, GraphQLContext>, roles: readonly Role[], coordinate: string): GraphQLFieldConfig<unknown, GraphQLContext> {
  const resolve = field.resolve ?? defaultFieldResolver;
  const check = (context: GraphQLContext) => {
    if (!hasAnyRole(context.viewer, roles)) {
      throw new ForbiddenError(`${coordinate} is for ${roles.join(', ')}; this token has ${context.viewer.roles.join(', ')}`, { allowedRoles: roles });
    }
  };
  const { subscribe } = field;
  return {
    ...field,
    resolve(source, args, context, info) {
      check(context);
      return resolve(source, args, context, info);
    },
    // A subscription is refused when it starts, not event by event.
    ...(subscribe
      ? {
          subscribe(source, args, context, info) {
            check(context);
            return subscribe(source, args, context, info);
          },
        }
      : {}),
  };
}

type PersonalKind = 'NAME' | 'ID_NUMBER';

function maskPersonal(field: GraphQLFieldConfig<unknown, GraphQLContext>, kind: PersonalKind, typeName: string): GraphQLFieldConfig<unknown, GraphQLContext> {
  const resolve = field.resolve ?? defaultFieldResolver;
  return {
    ...field,
    async resolve(source, args, context, info) {
      const value: unknown = await resolve(source, args, context, info);
      if (typeof value !== 'string') return value;
      if (!hasAnyRole(context.viewer, PERSONAL_DATA_ROLES)) return kind === 'NAME' ? maskName(value) : maskWholly(value);
      context.personalReads.add(`${typeName}:${(source as { id: string }).id}`);
      return value;
    },
  };
}
