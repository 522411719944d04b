import {
  Kind,
  valueFromAST,
  type FieldNode,
  type GraphQLInputType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';

/**
 * Finds the fields named `fieldName` directly inside the selection of the field being resolved, looking through
 * inline fragments and fragment spreads. Type conditions are not checked, which is safe for object types.
 */
export function selectedSubfields(info: GraphQLResolveInfo, fieldName: string): FieldNode[] {
  const found: FieldNode[] = [];
  const visited = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === fieldName) found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return found;
}

/** Returns the value of an argument of a subfield with the request's variables applied, or undefined. */
export function subfieldArgument(
  info: GraphQLResolveInfo,
  node: FieldNode,
  argumentName: string,
  type: GraphQLInputType,
): unknown {
  const argument = node.arguments?.find((candidate) => candidate.name.value === argumentName);
  return argument ? valueFromAST(argument.value, type, info.variableValues) : undefined;
}
