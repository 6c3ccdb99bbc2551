import type { CodeInfo } from './codes.ts';

/** Error codes for workflow definitions (loader problems, 400) and transitions (403/404/409/422). */
export const workflowCodes = {
  // Loading a definition.
  NX_ERR_WF_UNKNOWN_STATE: {
    status: 400,
    message: { 'zh-CN': '引用了不存在的状态', en: 'Names a state that does not exist' },
  },
  NX_ERR_WF_UNREACHABLE_STATE: {
    status: 400,
    message: {
      'zh-CN': '该状态无法从初始状态到达',
      en: 'The state cannot be reached from the initial state',
    },
  },
  NX_ERR_WF_DEAD_END: {
    status: 400,
    message: { 'zh-CN': '非终止状态没有出口', en: 'A non-final state has no way out' },
  },
  NX_ERR_WF_FINAL_HAS_EXIT: {
    status: 400,
    message: { 'zh-CN': '终止状态不能有流出的流转', en: 'A final state cannot have outgoing transitions' },
  },
  NX_ERR_WF_DUPLICATE_ACTION: {
    status: 400,
    message: { 'zh-CN': '同一状态下动作重复', en: 'The same action is defined twice from one state' },
  },
  NX_ERR_WF_BAD_DURATION: {
    status: 400,
    message: { 'zh-CN': '时长不是有效的 ISO 8601 格式', en: 'Not a valid ISO 8601 duration' },
  },
  NX_ERR_WF_BAD_DATE: {
    status: 400,
    message: { 'zh-CN': '日期不存在', en: 'Not a real calendar date' },
  },
  NX_ERR_WF_BAD_DEADLINE: {
    status: 400,
    message: {
      'zh-CN': '期限须且只能是 after 或 periods 之一',
      en: 'A deadline is either "after" or "periods", exactly one',
    },
  },
  NX_ERR_WF_DUPLICATE_PERIOD: {
    status: 400,
    message: { 'zh-CN': '报告期重复', en: 'Duplicate reporting period' },
  },
  NX_ERR_WF_TIMER_ACTION: {
    status: 400,
    message: {
      'zh-CN': '定时器指定的动作不能从该状态执行',
      en: 'The timer names an action that does not leave this state',
    },
  },
  NX_ERR_WF_UNKNOWN_ROLE: {
    status: 400,
    message: { 'zh-CN': '未知角色', en: 'Unknown role' },
  },
  NX_ERR_WF_UNKNOWN_LEVEL: {
    status: 400,
    message: { 'zh-CN': '未知行政层级', en: 'Unknown org level' },
  },
  NX_ERR_WF_NO_ACTOR: {
    status: 400,
    message: {
      'zh-CN': '没有人能执行该动作，也没有定时器触发它',
      en: 'No one may take this action and no timer fires it',
    },
  },
  NX_ERR_WF_COUNTERSIGN_ROLE: {
    status: 400,
    message: {
      'zh-CN': '会签角色不在可执行人之列',
      en: 'A countersign role is not among those who may take the action',
    },
  },
  NX_ERR_WF_DUPLICATE_INPUT: {
    status: 400,
    message: { 'zh-CN': '填写项标识重复', en: 'Duplicate input id' },
  },
  NX_ERR_WF_UNKNOWN_FORM: {
    status: 400,
    message: { 'zh-CN': '流程引用了不存在的表单', en: 'The workflow names an unknown form' },
  },
  NX_ERR_WF_UNKNOWN_FIELD: {
    status: 400,
    message: { 'zh-CN': '条件引用了表单中不存在的字段', en: 'A guard reads a field the form does not have' },
  },
  NX_ERR_WF_BAD_GUARD: {
    status: 400,
    message: { 'zh-CN': '条件规则无法编译', en: 'The guard rule does not compile' },
  },
  NX_ERR_WF_UNKNOWN_EFFECT: {
    status: 400,
    message: { 'zh-CN': '未注册的流程动作效果', en: 'The effect is not registered' },
  },
  // Taking an action.
  NX_ERR_WF_OUTSIDE_SCOPE: {
    status: 404,
    message: { 'zh-CN': '找不到该案件', en: 'No such case' },
  },
  NX_ERR_WF_UNKNOWN_ACTION: {
    status: 404,
    message: { 'zh-CN': '流程中没有该动作', en: 'The workflow has no such action' },
  },
  NX_ERR_WF_FORBIDDEN: {
    status: 403,
    message: {
      'zh-CN': '您的角色或所在层级不能执行该动作',
      en: 'Your role or org level may not take this action',
    },
  },
  NX_ERR_WF_NOT_SUBMITTER: {
    status: 403,
    message: { 'zh-CN': '只有提交人可以撤回', en: 'Only the submitter may withdraw' },
  },
  NX_ERR_WF_NOT_IN_STATE: {
    status: 409,
    message: {
      'zh-CN': '案件当前状态下不能执行该动作',
      en: 'The action is not possible in the current state',
    },
  },
  NX_ERR_WF_ALREADY_ACTED: {
    status: 409,
    message: {
      'zh-CN': '下一环节已处理，不能撤回',
      en: 'The next step has already acted; it cannot be withdrawn',
    },
  },
  NX_ERR_WF_ALREADY_APPROVED: {
    status: 409,
    message: {
      'zh-CN': '您已会签，等待其他角色',
      en: 'You have already approved; waiting for the other roles',
    },
  },
  NX_ERR_WF_GUARD_FAILED: {
    status: 409,
    message: { 'zh-CN': '案件不满足该动作的条件', en: "The case does not meet the action's condition" },
  },
  NX_ERR_WF_TIMER_NOT_DUE: {
    status: 409,
    message: { 'zh-CN': '定时器尚未到期', en: 'The timer is not due yet' },
  },
  NX_ERR_WF_INPUT_REQUIRED: {
    status: 422,
    message: { 'zh-CN': '请填写必填项', en: 'A required input is missing' },
  },
  NX_ERR_WF_INPUT_INVALID: {
    status: 422,
    message: { 'zh-CN': '填写的值不符合要求', en: 'An input value is not valid' },
  },
  NX_ERR_WF_INPUT_UNKNOWN: {
    status: 422,
    message: { 'zh-CN': '该动作没有此填写项', en: 'The action has no such input' },
  },
  // Running effects.
  NX_ERR_WF_EFFECT_MISSING: {
    status: 500,
    message: { 'zh-CN': '流程动作效果未注册', en: 'An effect the workflow needs is not registered' },
  },
  NX_ERR_WF_EFFECT_FAILED: {
    status: 500,
    message: { 'zh-CN': '流程动作效果执行失败', en: 'An effect failed' },
  },
  // Cases in the store.
  NX_ERR_WF_CONFLICT: {
    status: 409,
    message: {
      'zh-CN': '案件已被他人处理，请刷新后重试',
      en: 'Someone else acted on the case first; reload and try again',
    },
  },
  NX_ERR_WF_TRANSITION_VETOED: {
    status: 422,
    message: {
      'zh-CN': '插件的检查不允许此流转，请按提示修改',
      en: "A plugin's check refused this transition; see the errors",
    },
  },
  NX_ERR_WF_CASE_LOCKED: {
    status: 409,
    message: {
      'zh-CN': '案件正在审批流程中，只有退回后才能修改',
      en: 'The case is in its workflow; it can be edited only after it is returned',
    },
  },
  NX_ERR_WF_NO_INSTANCE: {
    status: 409,
    message: { 'zh-CN': '该填报没有审批流程', en: 'This submission has no workflow' },
  },
  NX_ERR_WF_LOAD_FAILED: {
    status: 500,
    message: { 'zh-CN': '流程定义无法加载', en: 'A workflow definition could not be loaded' },
  },
  NX_ERR_WF_VERSION_CHANGED: {
    status: 500,
    message: {
      'zh-CN': '流程定义已修改但版本号未变，请提高 version',
      en: 'A workflow definition changed but kept its version; raise "version"',
    },
  },
} satisfies Record<string, CodeInfo>;

export type WorkflowCode = keyof typeof workflowCodes;
