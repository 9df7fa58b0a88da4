/** The names of the dashboard's action buttons, none of which a viewer may see. */

/** The journey's actions (promote, roll back, approve, cancel, retry). */
export const JOURNEY_ACTIONS = /Promote|Roll back|Approve|Cancel journey|Retry failed tasks/;

/** The gate controls' buttons, on the journey page and the controls page. */
export const CONTROL_BUTTONS =
  /Pause journey|Resume journey|Accept or reject|Decide again|Withdraw my|Sign-off link for|Override freeze|Stop the line|Resume the line|Remove freeze|Add freeze|Revoke/;
