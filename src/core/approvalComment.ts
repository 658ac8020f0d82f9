// The comment sent with an approval decision becomes the action's summary, which AWS caps at 512 characters
// (PutApprovalResult `result.summary`). Every front end (panel, palette, CLI) checks and words it from here.
// The sandbox enforces the same cap on its own, as AWS does, so a wrong value here would show in the tests.

export const MAX_APPROVAL_COMMENT = 512;

/** Why the comment cannot be sent as it is, or undefined when it can. */
export function approvalCommentProblem(comment: string): string | undefined {
  const length = comment.trim().length;
  return length > MAX_APPROVAL_COMMENT ? `The comment has ${length} characters; AWS accepts at most ${MAX_APPROVAL_COMMENT}.` : undefined;
}
