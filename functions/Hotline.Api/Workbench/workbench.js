/*
 * 12345 platform staff's workbench (/workbench): the platform's own decisions as queues, oldest first, with the
 * clock running. Plain ES2020, no build step, no third-party code, no network beyond this server (and the evidence
 * photos' short-lived links). Every visible string is in STRINGS.
 * The queues come from GET /api/workbench/queues[/{queue}] (knowledge proposals from GET /api/knowledge-proposals);
 * every action is the existing decision endpoint (POST /api/matters/{id}/dispatch, rejection, answer, merge,
 * return-decision, extension-decision, reply-review, termination-decision, evaluation-verification;
 * POST /api/knowledge-proposals/{id}/decision), and a refusal is shown by its code as a sentence. The staff key is
 * asked for once per tab (sessionStorage, the same entry as the dashboard's) and sent as x-functions-key. The helpers
 * both staff pages use (strings, CST times, DOM, the API with the key) are in /dashboard/assets/staff.js, loaded first.
 */
(() => {
  'use strict';

  const STRINGS = {
    zh: {
      ...window.HotlineStaff.LONG_TERM_STRINGS.zh,
      appTitle: '12345 平台工作台',
      skip: '跳到主要内容',
      langButton: 'English',
      langLabel: 'Switch to English',
      toDashboard: '督办考核看板',
      'role.dispatcher': '派单员',
      'role.reviewer': '审核员',
      'role.supervisor': '督办员',
      'refusal.forbidden': '您的角色不能执行此操作。',
      signOut: '退出',
      keyTitle: '请输入工作人员密钥',
      keyHelp: '密钥仅保存在本浏览器标签页中，关闭标签页即失效。',
      keyLabel: '工作人员密钥',
      keySubmit: '进入工作台',
      signIn: '使用统一身份认证（Entra ID）登录',
      keyRequired: '请输入密钥。',
      keyRejected: '密钥无效或无权访问，请重新输入。',
      queuesLabel: '待办队列',
      refresh: '刷新',
      refreshed: '{t} 更新，每 {n} 秒自动刷新',
      pagerLabel: '分页',
      prevPage: '上一页',
      nextPage: '下一页',
      pageN: '第 {n} 页',
      loading: '正在加载…',
      loadFailed: '无法加载（{status}）：{detail}',
      networkError: '网络异常，请检查网络后重试。',
      none: '—',
      cancel: '取消',
      'queue.dispatch': '待派单',
      'queue.return': '退回申请',
      'queue.extension': '延期申请',
      'queue.reply': '答复审核',
      'queue.termination': '终止申请',
      'queue.verification': '不满意核实',
      'queue.knowledge': '知识库提案',
      'help.dispatch': '路由无法确定承办单位或退回已批准的工单。按路由建议或另选单位派单；疑似重复的可合并。（福建条例第十四、十六条）',
      'help.return': '承办单位申请退回。批准后可改派其他单位，不改派则回到待派单；驳回则由原单位继续办理。',
      'help.extension': '承办单位申请延长办理期限。批准后办结时限顺延。（福建条例第二十条第六项）',
      'help.reply': '承办单位的答复在送达群众前由平台审核；照片证据经临时链接查看。（福建条例第十八条）',
      'help.termination': '承办单位申请终止办理。批准后工单终止。（潍坊办法第二十一条）',
      'help.verification': '群众评价不满意。核实属承办单位责任的，重新交办；不属其责任的，工单办结、评价存档。（福建条例第二十二条）',
      'help.dispatchMore': '不属受理范围的，说明理由并告知群众应走的渠道（福建条例第十三条）；咨询类可直接以知识库答复（潍坊办法第十八、三十一条）。',
      'empty.dispatch': '没有待派单的工单。',
      'empty.return': '没有待审核的退回申请。',
      'empty.extension': '没有待审批的延期申请。',
      'empty.reply': '没有待审核的答复。',
      'empty.termination': '没有待审核的终止申请。',
      'empty.verification': '没有待核实的不满意评价。',
      'help.knowledge': '承办单位提出的新增或更新知识库条目，经平台审核后发布；条目在提出后已被修改的，不能批准，请说明理由退回。（潍坊办法第九条第二项、第三十一条；福建条例第十一条第三项）',
      'empty.knowledge': '没有待审核的知识库提案。',
      'queue.longTerm': '长期办理与提级',
      'help.longTerm': '长期推进、法定程序和提级办理的工单：其间普通办理期限暂停，以各自的时限为准。按工单编号标记长期推进（并指定业务指导部门）或提级办理；记录提级结果、法定程序结束、结束长期推进。（广州办法；潍坊条例第二十三条）',
      'empty.longTerm': '没有长期推进、法定程序中或提级办理的工单。',
      ltMatterLabel: '工单编号',
      ltMatterRequired: '请填写工单编号。',
      'action.markLongRunning': '标记长期推进',
      'action.escalate': '提级办理',
      'action.recordEscalationOutcome': '记录提级结果',
      'action.endLegalProcedure': '法定程序已结束',
      'action.endLongRunning': '结束长期推进',
      guidanceLabel: '业务指导部门',
      ltNoteLabel: '说明',
      ltNoteRequired: '请填写说明。',
      escalationReasonLabel: '提级理由',
      escalationReasonRequired: '请填写提级理由。',
      outcomeLabel: '提级结果',
      outcomeRequired: '请选择提级结果。',
      'outcome.resolved': '经市政府办公室研究已解决',
      'outcome.putToExecutiveMeeting': '仍未解决，提交政府常务会议',
      'outcome.decidedByExecutiveMeeting': '政府常务会议已作出决定',
      colKind: '类型',
      colStage: '阶段',
      held: '办理期限暂停',
      ownDeadline: '本程序时限',
      colProposal: '提案',
      colContent: '内容',
      proposalNew: '新增条目',
      proposalUpdate: '更新 {id}（基于第 {v} 版）',
      proposalChanged: '该条目现为第 {v} 版，提出后已被修改',
      proposalNote: '单位说明：{r}',
      'action.approveProposal': '批准发布',
      'action.refuseProposal': '退回提案',
      refuseLabel: '退回理由',
      refuseRequired: '请填写退回理由。',
      'refusal.proposal.decided': '该提案已被他人处理。',
      'refusal.proposal.article-changed': '该条目在提案提出后已被修改，不能批准；请说明理由退回，由单位在最新版本上重新提出。',
      comment: '群众意见：{r}',
      'action.reject': '不予受理',
      'action.answer': '知识库答复',
      'action.responsible': '属承办单位责任',
      'action.notResponsible': '不属承办单位责任',
      reasonLabel: '不予受理理由',
      reasonRequired: '请选择理由。',
      guidance: '告知群众：{g}',
      articleLabel: '引用的知识库条目',
      noArticle: '不引用条目',
      noArticles: '知识库中没有匹配的条目。',
      articlesTitle: '匹配的知识库条目：',
      answerLabel: '答复内容',
      answerRequired: '请填写答复内容。',
      verifyLabel: '核实情况',
      verifyRequired: '请填写核实情况。',
      'refusal.rejection.unknown-reason': '本规程没有这一不予受理理由。',
      'refusal.answer.not-consultation': '只有咨询类工单可以直接答复。',
      colMatter: '工单',
      colWaiting: '已等待',
      colDeadline: '时限',
      colOrganizer: '承办单位',
      colDetail: '申请与依据',
      colActions: '操作',
      since: '自 {t}',
      'deadline.dispatch': '派单时限',
      'deadline.other': '办结时限',
      overdue: '已超时',
      waitMinutes: '{m} 分钟',
      waitHours: '{h} 小时 {m} 分',
      waitDays: '{d} 天 {h} 小时',
      urgent: '紧急',
      supervised: '督办中',
      route: '路由建议：{unit}（{basis}）',
      routeCertain: '确定',
      routeUncertain: '需人工确认',
      noRoute: '无路由建议',
      duplicates: '疑似重复：',
      reason: '理由：{r}',
      extensionDays: '申请延期 {n} 个工作日',
      replyText: '答复：{r}',
      evidenceCount: '证据 {n} 件',
      noEvidence: '无照片证据',
      evidenceLabel: '证据照片 {n}',
      'action.dispatch': '派单',
      'action.merge': '合并到 {id}',
      'action.approveReturn': '批准退回',
      'action.refuseReturn': '驳回退回',
      'action.approveExtension': '批准延期',
      'action.refuseExtension': '不予延期',
      'action.acceptReply': '审核通过',
      'action.sendBack': '退回重办',
      'action.approveTermination': '批准终止',
      'action.refuseTermination': '不予终止',
      organizerLabel: '承办单位',
      reassignLabel: '改派给（留空则回到待派单）',
      reassignNone: '不改派',
      noteLabel: '说明（选填）',
      organizerRequired: '请选择承办单位。',
      done: '{action}：{id} 已完成。',
      actionFailed: '未能完成（{status}）：{detail}',
      'refusal.status.invalid': '工单状态已变化，此操作不再适用，请刷新后再试。',
      'refusal.matter.missing': '工单不存在。',
      'refusal.actor.not-allowed': '您无权执行此操作。',
      'refusal.organizer.not-assigned': '该单位不是本工单的承办单位。',
      'refusal.input.invalid': '填写内容有误。',
      'refusal.dispatch.lead-is-co-organizer': '主办单位不能同时是协办单位。',
      'refusal.return.window-closed': '退回期限已过。',
      'refusal.return.designated-unit': '指定承办单位不得退回。',
      'refusal.extension.after-cutoff': '已过延期申请截止时间。',
      'refusal.extension.too-many': '延期次数已达上限。',
      'refusal.extension.too-long': '延期天数超过上限。',
      'refusal.extension.pending': '已有待审批的延期申请。',
      'refusal.extension.none-pending': '没有待审批的延期申请（可能已被他人处理）。',
      'refusal.termination.pending': '已有待审核的终止申请。',
      'refusal.termination.none-pending': '没有待审核的终止申请（可能已被他人处理）。',
      'refusal.reply.evidence-required': '答复缺少必需的照片证据。',
      'refusal.reply.evidence-type': '证据文件类型不被接受。',
      'refusal.merge.already-recorded': '已记录为重复工单。',
      'refusal.duplicates.already-flagged': '这些工单已标为可能重复。',
      'refusal.matter.exists': '该工单已存在。',
      'refusal.evaluation.window-closed': '评价期限已过。',
      'refusal.supervision.not-supervised': '该工单不在督办中。',
      'refusal.alarm.stale': '该提醒已过时（工单已变化）。',
      'refusal.alarm.not-due': '该提醒尚未到期。',
      'refusal.deadlines.not-provisional': '该工单的期限不是临时期限，无需重算。',
      'refusal.intake.different-report': '该渠道的同一编号已用于另一份诉求。',
      'refusal.coOrganizer.not-assigned': '该单位不是本工单的协办单位。',
      'refusal.coOrganizer.part-submitted': '该协办单位已提交其承办部分。',
      'refusal.reply.contact-required': '“已解释、暂不能解决”的答复须先联系诉求人并说明沟通情况。',
      'refusal.rule.not-in-profile': '本地规程没有这项规则。',
      'refusal.longTerm.clock-held': '工单的办理期限正因长期办理、法定程序或提级处理而暂停；请先结束该程序。',
      'refusal.longRunning.not-active': '该工单不是长期办理工单。',
      'refusal.longRunning.plan-missing': '请先提交解决方案，再进行阶段性反馈。',
      'refusal.legalProcedure.not-running': '该工单没有正在进行的法定程序。',
      'refusal.legalProcedure.report-not-extendable': '法定程序结束后的最终情况报告期限不能延期。',
      'refusal.escalation.not-open': '该工单没有进行中的提级处理。',
      'refusal.escalation.outcome-out-of-order': '结果与当前阶段不符：研究阶段先作出处理或提交政府常务会议，再由常务会议决定。',
      'http.404': '工单或目标不存在。',
      'http.409': '工单已被他人处理，请刷新后再试。',
      'cat.water-supply': '停水与供水',
      'cat.water-pressure': '水压不足',
      'cat.drainage': '排水与内涝',
      'cat.water-quality': '水质问题',
      'cat.power-outage': '停电',
      'cat.elevator': '电梯故障',
      'cat.construction-noise': '施工噪声',
      'cat.environmental-noise': '社会生活噪声',
      'cat.street-vending': '占道经营',
      'cat.taxi': '出租车',
      'cat.food-safety': '食品安全',
      'cat.road-damage': '道路破损',
      'cat.neighbourhood-dispute': '邻里纠纷',
      'district.donghu': '东湖区',
      'district.xiling': '西岭区',
      'district.nangang': '南港区',
      'district.beitang': '北塘县',
    },
    en: {
      ...window.HotlineStaff.LONG_TERM_STRINGS.en,
      appTitle: '12345 Staff workbench',
      skip: 'Skip to main content',
      langButton: '中文',
      langLabel: '切换到中文',
      toDashboard: 'Supervision dashboard',
      'role.dispatcher': 'dispatcher',
      'role.reviewer': 'reviewer',
      'role.supervisor': 'supervisor',
      'refusal.forbidden': 'Your role may not take this decision.',
      signOut: 'Sign out',
      keyTitle: 'Enter your staff key',
      keyHelp: 'The key is kept in this browser tab only and is forgotten when the tab closes.',
      keyLabel: 'Staff key',
      keySubmit: 'Open the workbench',
      signIn: 'Sign in with your organisation account (Entra ID)',
      keyRequired: 'Enter the key.',
      keyRejected: 'The key is not valid or not allowed here; enter it again.',
      queuesLabel: 'Queues',
      refresh: 'Refresh',
      refreshed: 'Updated {t}; refreshes every {n} s',
      pagerLabel: 'Pages',
      prevPage: 'Previous',
      nextPage: 'Next',
      pageN: 'Page {n}',
      loading: 'Loading…',
      loadFailed: 'Could not load ({status}): {detail}',
      networkError: 'Network error; check the connection and try again.',
      cancel: 'Cancel',
      'queue.dispatch': 'To dispatch',
      'queue.return': 'Returns',
      'queue.extension': 'Extensions',
      'queue.reply': 'Replies to review',
      'queue.termination': 'Terminations',
      'queue.verification': 'Unsatisfied to verify',
      'queue.knowledge': 'Knowledge proposals',
      'help.dispatch': 'Matters routing could not place, and returns approved without reassignment. Dispatch as routing suggests or to another unit; merge a duplicate. (Fujian 14, 16)',
      'help.return': 'An organizer applied to return the matter. Approve (reassigning it, or sending it back to dispatch) or refuse (the unit keeps it).',
      'help.extension': 'An organizer applied for more time. Approving moves the completion deadline. (Fujian 20(6))',
      'help.reply': 'Replies are reviewed before they reach the citizen; photo evidence opens through short-lived links. (Fujian 18)',
      'help.termination': 'An organizer applied to terminate handling. Approving ends the matter. (Weifang 21)',
      'help.verification': 'The citizen was unsatisfied. If the organizer is responsible, it handles the matter again; if not, the matter closes with the evaluation on record. (Fujian 22)',
      'help.dispatchMore': 'Reject what the hotline does not accept, telling the citizen where to go (Fujian 13); answer a consultation from the knowledge base (Weifang 18, 31).',
      'empty.dispatch': 'Nothing to dispatch.',
      'empty.return': 'No return applications.',
      'empty.extension': 'No extension applications.',
      'empty.reply': 'No replies to review.',
      'empty.termination': 'No termination applications.',
      'empty.verification': 'No unsatisfied evaluations to verify.',
      'help.knowledge': 'New or updated knowledge articles proposed by organizer units, published once the platform approves. An article changed since the proposal cannot be approved: refuse it with a reason. (Weifang 9(2), 31; Fujian 11(3))',
      'empty.knowledge': 'No knowledge proposals to review.',
      'queue.longTerm': 'Long-term and escalated',
      'help.longTerm': 'Long-running matters, legal procedures and escalations: the ordinary handling deadline is held meanwhile and their own limits apply. Mark a matter long-running (naming its business guidance department) or escalate it by its id; record the escalation\u2019s outcome, the end of a legal procedure, the end of long-running work. (Guangzhou; Weifang art. 23)',
      'empty.longTerm': 'No long-running, legal-procedure or escalated matters.',
      ltMatterLabel: 'Matter id',
      ltMatterRequired: 'Enter the matter id.',
      'action.markLongRunning': 'Mark long-running',
      'action.escalate': 'Escalate',
      'action.recordEscalationOutcome': 'Record escalation outcome',
      'action.endLegalProcedure': 'Legal procedure ended',
      'action.endLongRunning': 'End long-running',
      guidanceLabel: 'Business guidance department',
      ltNoteLabel: 'Note',
      ltNoteRequired: 'Write a note.',
      escalationReasonLabel: 'Why escalate',
      escalationReasonRequired: 'Give the reason for escalating.',
      outcomeLabel: 'Outcome',
      outcomeRequired: 'Choose the outcome.',
      'outcome.resolved': 'Resolved by the government office\u2019s study',
      'outcome.putToExecutiveMeeting': 'Still unresolved: put to the executive meeting',
      'outcome.decidedByExecutiveMeeting': 'Decided by the executive meeting',
      colKind: 'Kind',
      colStage: 'Stage',
      held: 'Deadline held',
      ownDeadline: 'Own limit',
      colProposal: 'Proposal',
      colContent: 'Content',
      proposalNew: 'New article',
      proposalUpdate: 'Update of {id} (from version {v})',
      proposalChanged: 'The article is at version {v} now: it changed since the proposal',
      proposalNote: 'Unit\u2019s note: {r}',
      'action.approveProposal': 'Approve and publish',
      'action.refuseProposal': 'Refuse proposal',
      refuseLabel: 'Reason for refusing',
      refuseRequired: 'Give the reason for refusing.',
      'refusal.proposal.decided': 'Someone else has decided this proposal.',
      'refusal.proposal.article-changed': 'The article changed after the proposal was made, so it cannot be approved; refuse it with a reason so the unit proposes again from the current version.',
      comment: 'Citizen\u2019s comment: {r}',
      'action.reject': 'Reject',
      'action.answer': 'Answer from knowledge',
      'action.responsible': 'Organizer responsible',
      'action.notResponsible': 'Not the organizer\u2019s fault',
      reasonLabel: 'Reason for not accepting',
      reasonRequired: 'Choose a reason.',
      guidance: 'The citizen is told: {g}',
      articleLabel: 'Knowledge article cited',
      noArticle: 'No article',
      noArticles: 'No matching knowledge article.',
      articlesTitle: 'Matching knowledge articles: ',
      answerLabel: 'Answer',
      answerRequired: 'Write the answer.',
      verifyLabel: 'What the verification found',
      verifyRequired: 'Say what the verification found.',
      'refusal.rejection.unknown-reason': 'This profile has no such reason for not accepting.',
      'refusal.answer.not-consultation': 'Only a consultation can be answered directly.',
      colMatter: 'Matter',
      colWaiting: 'Waiting',
      colDeadline: 'Deadline',
      colOrganizer: 'Organizer',
      colDetail: 'Application and basis',
      colActions: 'Actions',
      since: 'since {t}',
      'deadline.dispatch': 'dispatch by',
      'deadline.other': 'complete by',
      overdue: 'overdue',
      waitMinutes: '{m} min',
      waitHours: '{h} h {m} min',
      waitDays: '{d} d {h} h',
      urgent: 'Urgent',
      supervised: 'Supervised',
      route: 'Routing suggests {unit} ({basis})',
      routeCertain: 'certain',
      routeUncertain: 'to confirm',
      noRoute: 'No routing suggestion',
      duplicates: 'Possible duplicates: ',
      reason: 'Reason: {r}',
      extensionDays: '{n} more working days asked',
      replyText: 'Reply: {r}',
      evidenceCount: '{n} evidence files',
      noEvidence: 'No photo evidence',
      evidenceLabel: 'Evidence photo {n}',
      'action.dispatch': 'Dispatch',
      'action.merge': 'Merge into {id}',
      'action.approveReturn': 'Approve return',
      'action.refuseReturn': 'Refuse return',
      'action.approveExtension': 'Approve extension',
      'action.refuseExtension': 'Refuse extension',
      'action.acceptReply': 'Accept reply',
      'action.sendBack': 'Send back',
      'action.approveTermination': 'Approve termination',
      'action.refuseTermination': 'Refuse termination',
      organizerLabel: 'Organizer',
      reassignLabel: 'Reassign to (empty: back to dispatch)',
      reassignNone: 'Do not reassign',
      noteLabel: 'Note (optional)',
      organizerRequired: 'Choose an organizer.',
      done: '{action}: {id} done.',
      actionFailed: 'Not done ({status}): {detail}',
      'refusal.status.invalid': 'The matter has moved on; this action no longer applies. Refresh and try again.',
      'refusal.matter.missing': 'There is no such matter.',
      'refusal.actor.not-allowed': 'You may not do this.',
      'refusal.organizer.not-assigned': 'That unit is not the matter\u2019s organizer.',
      'refusal.input.invalid': 'Something entered is not valid.',
      'refusal.dispatch.lead-is-co-organizer': 'The lead unit cannot also be a co-organizer.',
      'refusal.return.window-closed': 'The return window has closed.',
      'refusal.return.designated-unit': 'A designated unit may not return the matter.',
      'refusal.extension.after-cutoff': 'The extension was applied for after the cutoff.',
      'refusal.extension.too-many': 'No more extensions are allowed.',
      'refusal.extension.too-long': 'The extension is longer than allowed.',
      'refusal.extension.pending': 'An extension application is already pending.',
      'refusal.extension.none-pending': 'No extension application is pending (someone may have decided it).',
      'refusal.termination.pending': 'A termination application is already pending.',
      'refusal.termination.none-pending': 'No termination application is pending (someone may have decided it).',
      'refusal.reply.evidence-required': 'The reply lacks the photo evidence it needs.',
      'refusal.reply.evidence-type': 'The evidence file type is not accepted.',
      'refusal.merge.already-recorded': 'Already recorded as a duplicate.',
      'refusal.duplicates.already-flagged': 'These matters are already flagged as possible duplicates.',
      'refusal.matter.exists': 'The matter already exists.',
      'refusal.evaluation.window-closed': 'The evaluation window has closed.',
      'refusal.supervision.not-supervised': 'The matter is not under supervision.',
      'refusal.alarm.stale': 'The reminder is stale (the matter has changed).',
      'refusal.alarm.not-due': 'The reminder is not due yet.',
      'refusal.deadlines.not-provisional': 'The matter\u2019s deadlines are not provisional; there is nothing to recompute.',
      'refusal.intake.different-report': 'That channel reference was already used for a different report.',
      'refusal.coOrganizer.not-assigned': 'That unit is not a co-organizer of the matter.',
      'refusal.coOrganizer.part-submitted': 'That co-organizer has already submitted its part.',
      'refusal.reply.contact-required': 'An \u201cexplained, not solvable now\u201d reply needs the contact with the citizen recorded first.',
      'refusal.rule.not-in-profile': 'The local regulations have no such rule.',
      'refusal.longTerm.clock-held': 'The ordinary deadline is held by a long-running matter, legal procedure or escalation; end that first.',
      'refusal.longRunning.not-active': 'The matter is not long-running.',
      'refusal.longRunning.plan-missing': 'Submit the solution plan before staged feedback.',
      'refusal.legalProcedure.not-running': 'No legal procedure of the matter is running.',
      'refusal.legalProcedure.report-not-extendable': 'The final report after a legal procedure cannot be extended.',
      'refusal.escalation.not-open': 'The matter has no open escalation.',
      'refusal.escalation.outcome-out-of-order': 'That outcome does not follow the current stage: the study is resolved or put to the executive meeting, which then decides.',
      'http.404': 'The matter or its target does not exist.',
      'http.409': 'Someone else has handled the matter; refresh and try again.',
      'cat.water-supply': 'Water supply',
      'cat.water-pressure': 'Low water pressure',
      'cat.drainage': 'Drainage',
      'cat.water-quality': 'Water quality',
      'cat.power-outage': 'Power outage',
      'cat.elevator': 'Lifts',
      'cat.construction-noise': 'Construction noise',
      'cat.environmental-noise': 'Neighbourhood noise',
      'cat.street-vending': 'Street vending',
      'cat.taxi': 'Taxis',
      'cat.food-safety': 'Food safety',
      'cat.road-damage': 'Road damage',
      'cat.neighbourhood-dispute': 'Neighbourhood disputes',
      'district.donghu': 'Donghu',
      'district.xiling': 'Xiling',
      'district.nangang': 'Nangang',
      'district.beitang': 'Beitang County',
    },
  };

  const QUEUES = ['dispatch', 'return', 'extension', 'reply', 'termination', 'verification', 'knowledge', 'longTerm'];
  /** The long-term work is the supervisors' (the staff endpoints need the role): its tab is theirs only. */
  const openQueues = () => (state.me ? [...state.me.queues, ...(state.me.roles.includes('supervisor') ? ['longTerm'] : [])] : QUEUES);
  /** Each queue's actions: the decision endpoint, its body, and what the dialog asks for. */
  const ACTIONS = {
    dispatch: [
      { name: 'dispatch', path: 'dispatch', organizer: 'required', primary: true, body: (f) => ({ organizer: f.organizer }) },
      { name: 'reject', path: 'rejection', choice: 'reason', body: (f) => ({ reasonCode: f.choice, note: f.note }) },
      // Only a consultation can be answered on the spot (Weifang 18); the page offers the matching articles.
      {
        name: 'answer', path: 'answer', choice: 'article', text: 'answer', only: (item) => item.type === 'consultation',
        body: (f) => ({ answer: f.note, articleId: f.choice || null }),
      },
    ],
    return: [
      { name: 'approveReturn', path: 'return-decision', organizer: 'optional', primary: true, body: (f) => ({ approve: true, reassignTo: f.organizer || null, note: f.note }) },
      { name: 'refuseReturn', path: 'return-decision', body: (f) => ({ approve: false, note: f.note }) },
    ],
    extension: [
      { name: 'approveExtension', path: 'extension-decision', primary: true, body: (f) => ({ approve: true, note: f.note }) },
      { name: 'refuseExtension', path: 'extension-decision', body: (f) => ({ approve: false, note: f.note }) },
    ],
    reply: [
      { name: 'acceptReply', path: 'reply-review', primary: true, body: (f) => ({ accept: true, note: f.note }) },
      { name: 'sendBack', path: 'reply-review', body: (f) => ({ accept: false, note: f.note }) },
    ],
    termination: [
      { name: 'approveTermination', path: 'termination-decision', primary: true, body: (f) => ({ approve: true, note: f.note }) },
      { name: 'refuseTermination', path: 'termination-decision', body: (f) => ({ approve: false, note: f.note }) },
    ],
    verification: [
      { name: 'responsible', path: 'evaluation-verification', primary: true, text: 'verify', body: (f) => ({ organizerResponsible: true, note: f.note }) },
      { name: 'notResponsible', path: 'evaluation-verification', text: 'verify', body: (f) => ({ organizerResponsible: false, note: f.note }) },
    ],
    // The platform's side of long-term work (Guangzhou; Weifang 23): each row offers what its kind allows.
    longTerm: [
      {
        name: 'recordEscalationOutcome', path: 'escalation-outcome', primary: true, choice: 'outcome', text: 'ltNote',
        only: (item) => item.kind === 'escalation', body: (f) => ({ outcome: f.choice, note: f.note }),
      },
      { name: 'endLegalProcedure', path: 'legal-procedure-end', primary: true, text: 'ltNote', only: (item) => item.kind === 'legalProcedure', body: (f) => ({ note: f.note }) },
      { name: 'endLongRunning', path: 'long-running-end', text: 'ltNote', only: (item) => item.kind === 'longRunning', body: (f) => ({ note: f.note }) },
    ],
    // Proposals are not matters: their decision has its own address.
    knowledge: [
      { name: 'approveProposal', url: proposalUrl, primary: true, body: (f) => ({ approve: true, reason: f.note }) },
      { name: 'refuseProposal', url: proposalUrl, text: 'refuse', body: (f) => ({ approve: false, reason: f.note }) },
    ],
  };
  /** Actions on any matter by its id, offered above the long-term list: the guidance department comes from the directory. */
  const LOOKUP_ACTIONS = [
    { name: 'markLongRunning', path: 'long-running', organizer: 'required', organizerLabel: 'guidanceLabel', text: 'ltNote', body: (f) => ({ guidanceDepartment: f.organizer, note: f.note }) },
    { name: 'escalate', path: 'escalation', text: 'escalationReason', body: (f) => ({ reason: f.note }) },
  ];
  /** What an escalation's stage lets be recorded next (Weifang 23: the office's study, then the executive meeting). */
  const OUTCOMES = { study: ['resolved', 'putToExecutiveMeeting'], executiveMeeting: ['decidedByExecutiveMeeting'] };
  function proposalUrl(item) { return `/api/knowledge-proposals/${encodeURIComponent(item.matterId)}/decision`; }
  /** What the dialog's text asks for when it is required: its label, its message when empty, its length. */
  const TEXTS = {
    answer: { label: 'answerLabel', required: 'answerRequired', max: 4000 },
    verify: { label: 'verifyLabel', required: 'verifyRequired', max: 2000 },
    refuse: { label: 'refuseLabel', required: 'refuseRequired', max: 2000 },
    ltNote: { label: 'ltNoteLabel', required: 'ltNoteRequired', max: 2000 },
    escalationReason: { label: 'escalationReasonLabel', required: 'escalationReasonRequired', max: 2000 },
  };
  const PAGE_SIZE = 20;
  const REFRESH_SECONDS = 20;
  const { KEY_STORE, LANG_STORE, $, h, fill, notice } = window.HotlineStaff;
  const MINUTE = 60000;

  const state = {
    lang: localStorage.getItem(LANG_STORE) === 'en' ? 'en' : 'zh',
    key: sessionStorage.getItem(KEY_STORE) || '',
    queue: QUEUES.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'dispatch',
    me: null, // GET /api/workbench/me: { name, roles, queues, rejections }
    signedIn: false, // signed in through the platform (App Service authentication) rather than by key
    counts: null,
    page: null, // { items, continuationToken, now }
    token: null,
    tokens: [],
    error: null,
    directory: new Map(), // organizer id -> { zh, en }
    replies: new Map(), // matter id -> { text, links } for the reply queue
    action: null,
    refreshedAt: null,
    timer: null,
  };

  // ---- strings and formatting ----

  const { t, label } = window.HotlineStaff.strings(STRINGS, () => state.lang);

  function organizerName(id) {
    const n = state.directory.get(id);
    if (!n) return id || t('none');
    return (state.lang === 'en' ? n.en : n.zh) || n.zh || n.en || id;
  }

  /** "2026-03-09 17:30" in China Standard Time, whatever the browser's zone. */
  const dateTime = (iso) => window.HotlineStaff.dateTime(iso, t('none'));

  /** How long since an instant, by the server's clock: "45 分钟", "3 小时 20 分", "2 天 3 小时". */
  function waited(sinceIso, nowIso) {
    const minutes = Math.max(0, Math.floor((new Date(nowIso) - new Date(sinceIso)) / MINUTE));
    const d = Math.floor(minutes / 1440);
    const hrs = Math.floor((minutes % 1440) / 60);
    const m = minutes % 60;
    if (d > 0) return t('waitDays', { d, h: hrs });
    if (hrs > 0) return t('waitHours', { h: hrs, m });
    return t('waitMinutes', { m });
  }


  // ---- the API ----

  // A 403 on a GET is the key's (or sign-in's) own refusal; on a decision it is the role's, shown in the dialog.
  const api = window.HotlineStaff.client({
    key: () => state.key,
    credentials: 'same-origin',
    rejected: (status, method) => status === 401 || (status === 403 && method === 'GET'),
    onRejected: () => signOut(t('keyRejected')),
    networkError: () => t('networkError'),
    keyRejected: () => t('keyRejected'),
  });

  /** A refusal as a sentence: the lifecycle's code when there is one, then the status; the server's detail otherwise. */
  function readable(e) {
    if (e.code && 'refusal.' + e.code in STRINGS.zh) return t('refusal.' + e.code);
    if (e.status === 403) return t('refusal.forbidden');
    if (e.status === 404 || e.status === 409) return t('http.' + e.status);
    return t('actionFailed', { status: e.status || t('none'), detail: e.detail || e.message });
  }

  // ---- the key ----

  function signOut(message) {
    state.key = '';
    sessionStorage.removeItem(KEY_STORE);
    stopTimer();
    $('bench').hidden = true;
    $('sign-out').hidden = true;
    $('key-panel').hidden = false;
    $('key-error').textContent = message || '';
    $('staff-key').value = '';
    $('staff-key').focus();
  }

  async function enter(key) {
    state.key = key;
    if (key) sessionStorage.setItem(KEY_STORE, key);
    $('key-panel').hidden = true;
    $('bench').hidden = false;
    $('sign-out').hidden = state.signedIn;
    $('key-error').textContent = '';
    try {
      state.me = await api('/api/workbench/me');
      if (!openQueues().includes(state.queue)) state.queue = state.me.queues[0] || state.queue;
      $('who').textContent = `${state.me.name} · ${state.me.roles.map((r) => t('role.' + r)).join(' / ')}`;
      const view = await api('/api/organizers');
      state.directory = new Map((view.units || []).map((u) => [u.id, u.name]));
    } catch {
      if (!state.key && !state.signedIn) return; // the key was refused: the key form shows again
    }
    if (!state.me) return;
    await load();
    startTimer();
  }

  // ---- loading ----

  async function load() {
    document.body.setAttribute('data-loaded', 'false');
    const queue = state.queue;
    state.error = null;
    $('queue-body').setAttribute('aria-busy', 'true');
    try {
      const params = new URLSearchParams({ pageSize: String(PAGE_SIZE) });
      if (state.token) params.set('continuationToken', state.token);
      const [counts, page] = await Promise.all([api('/api/workbench/queues'),
        api(queue === 'knowledge' ? `/api/knowledge-proposals?${params}` : queue === 'longTerm' ? '/api/long-term' : `/api/workbench/queues/${queue}?${params}`)]);
      const longTermCount = state.counts ? state.counts.get('longTerm') : undefined;
      state.counts = new Map((counts.queues || []).map((c) => [c.queue, c.count]));
      if (queue === 'longTerm') state.counts.set('longTerm', (page.items || []).length);
      else if (longTermCount != null) state.counts.set('longTerm', longTermCount);
      // A proposal row is shown like a matter's: its id and title, waiting since it was proposed.
      state.page = queue === 'knowledge'
        ? { ...page, now: counts.now, items: (page.items || []).map((v) => ({ item: { matterId: v.proposal.id, title: v.proposal.draft.title, since: v.proposal.proposedAt, proposal: v.proposal, current: v.current } })) }
        : queue === 'longTerm'
          ? { now: page.now, items: (page.items || []).map((m) => ({ item: { ...m, since: m.since, deadline: m.dueBy } })) }
          : page;
      if (queue === 'reply') await loadReplies(page.items || []);
    } catch (e) {
      if (!state.key && !state.signedIn) return;
      state.page = null;
      state.error = e;
    } finally {
      $('queue-body').removeAttribute('aria-busy');
    }
    if (queue !== state.queue) return; // another tab was chosen meanwhile; its own load renders
    state.refreshedAt = state.page ? state.page.now : null;
    render();
    document.body.setAttribute('data-loaded', 'true');
  }

  /** The reply text and the evidence links (short-lived, issued per request) of each reply on the page. */
  async function loadReplies(items) {
    await Promise.all(items.map(async ({ item }) => {
      const id = encodeURIComponent(item.matterId);
      try {
        const [matter, links] = await Promise.all([api(`/api/matters/${id}`), api(`/api/matters/${id}/evidence`)]);
        const reply = (matter.replies || [])[matter.replies.length - 1];
        const shown = new Set((reply ? reply.evidence : []).map((e) => e.blob));
        state.replies.set(item.matterId, { text: reply ? reply.text : '', links: links.filter((l) => shown.has(l.blob)) });
      } catch {
        state.replies.delete(item.matterId);
      }
    }));
  }

  function startTimer() {
    stopTimer();
    state.timer = setInterval(() => {
      // Not while a decision is being written: the row it is about must not vanish under the dialog.
      if (!$('action-dialog').open && (state.key || state.signedIn)) load();
    }, REFRESH_SECONDS * 1000);
  }

  function stopTimer() {
    if (state.timer) clearInterval(state.timer);
    state.timer = null;
  }

  // ---- rendering ----

  function applyStrings() {
    document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
    document.title = t('appTitle');
    for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    for (const el of document.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
    const lang = $('lang');
    lang.textContent = t('langButton');
    lang.setAttribute('aria-label', t('langLabel'));
    lang.lang = state.lang === 'en' ? 'zh-CN' : 'en';
  }

  function render() {
    applyStrings();
    renderTabs();
    renderQueue();
  }

  function renderTabs() {
    const open = openQueues();
    fill($('queues'), QUEUES.filter((q) => open.includes(q)).map((q) => {
      const n = state.counts ? state.counts.get(q) : null;
      return h('button', {
        type: 'button', role: 'tab', id: 'tab-' + q, 'data-queue': q, 'aria-selected': String(q === state.queue), 'aria-controls': 'queue-panel',
        onclick: () => choose(q),
      }, h('span', { text: t('queue.' + q) }), h('span', { class: 'count' + (n ? ' busy' : ''), 'data-count': q, text: n == null ? '…' : String(n) }));
    }));
  }

  function choose(queue) {
    if (queue === state.queue) return;
    state.queue = queue;
    state.token = null;
    state.tokens = [];
    history.replaceState(null, '', '#' + queue);
    renderTabs();
    fill($('queue-body'), h('p', { class: 'muted loading', text: t('loading') }));
    load();
  }

  function renderQueue() {
    const q = state.queue;
    $('queue-title').textContent = t('queue.' + q);
    $('queue-help').textContent = t('help.' + q) + (q === 'dispatch' ? ' ' + t('help.dispatchMore') : '');
    $('refreshed').textContent = state.refreshedAt ? t('refreshed', { t: dateTime(state.refreshedAt).slice(11), n: REFRESH_SECONDS }) : '';
    const body = $('queue-body');
    updatePager();
    if (state.error) {
      fill(body, h('p', { class: 'load-error', role: 'alert', text: t('loadFailed', { status: state.error.status || t('none'), detail: state.error.detail }) }));
      return;
    }
    const items = state.page ? state.page.items || [] : [];
    if (q === 'longTerm') { renderLongTerm(body, items); return; }
    if (items.length === 0) { fill(body, h('p', { class: 'muted', 'data-empty': q, text: t('empty.' + q) })); return; }
    const now = state.page.now;
    if (q === 'knowledge') { renderProposals(body, items, now); return; }
    const head = h('tr', null, ['colMatter', 'colWaiting', 'colDeadline', 'colOrganizer', 'colDetail', 'colActions'].map((k) => h('th', { scope: 'col', text: t(k) })));
    const rows = items.map(({ item, route }) => h('tr', { 'data-matter': item.matterId },
      h('td', { class: 'title-cell', 'data-field': 'matter' },
        h('div', { class: 'mono', text: item.matterId }),
        h('div', { text: item.title || t('none') }),
        h('div', { class: 'muted small-text' },
          item.urgency === 'urgent' ? h('span', { class: 'tag urgent', text: t('urgent') }) : null,
          item.supervised ? h('span', { class: 'tag', text: t('supervised') }) : null,
          `${label('cat.', item.category)} · ${label('district.', item.district)} · ${dateTime(item.receivedAt)}`)),
      h('td', { 'data-field': 'waiting' },
        h('div', { class: 'waiting', text: waited(item.since, now) }),
        h('div', { class: 'muted small-text nowrap', text: t('since', { t: dateTime(item.since) }) })),
      h('td', { class: 'when', 'data-field': 'deadline' }, deadlineCell(item, now)),
      h('td', { 'data-field': 'organizer', 'data-value': item.organizer || '', text: organizerName(item.organizer) }),
      h('td', { class: 'detail', 'data-field': 'detail' }, detailCell(q, item, route)),
      h('td', { class: 'actions' }, actionButtons(q, item, route))));
    fill(body, h('table', { class: 'grid', id: 'queue-table' },
      h('caption', { class: 'visually-hidden', text: t('queue.' + q) }),
      h('thead', null, head), h('tbody', null, rows)));
  }

  function renderProposals(body, items, now) {
    const head = h('tr', null, ['colProposal', 'colWaiting', 'colOrganizer', 'colContent', 'colActions'].map((k) => h('th', { scope: 'col', text: t(k) })));
    const rows = items.map(({ item }) => {
      const p = item.proposal;
      const changed = p.articleId && item.current && item.current.version !== p.baseVersion;
      return h('tr', { 'data-matter': p.id, 'data-proposal': p.id },
        h('td', { class: 'title-cell', 'data-field': 'matter' },
          h('div', { class: 'mono', text: p.id }),
          h('div', { text: p.draft.title }),
          h('div', { class: 'muted small-text', text: `${label('cat.', p.draft.category)} · ${dateTime(p.proposedAt)}` })),
        h('td', { 'data-field': 'waiting' },
          h('div', { class: 'waiting', text: waited(p.proposedAt, now) }),
          h('div', { class: 'muted small-text nowrap', text: t('since', { t: dateTime(p.proposedAt) }) })),
        h('td', { 'data-field': 'organizer', 'data-value': p.organizer, text: organizerName(p.organizer) }),
        h('td', { class: 'detail', 'data-field': 'detail' },
          h('p', { 'data-kind': p.articleId ? 'update' : 'new', text: p.articleId ? t('proposalUpdate', { id: p.articleId, v: p.baseVersion }) : t('proposalNew') }),
          changed ? h('p', { class: 'overdue', 'data-changed': '', text: t('proposalChanged', { v: item.current.version }) }) : null,
          h('p', { 'data-answer': '', text: p.draft.answer }),
          p.note ? h('p', { class: 'muted', text: t('proposalNote', { r: p.note }) }) : null),
        h('td', { class: 'actions' }, actionButtons('knowledge', item, null)));
    });
    fill(body, h('table', { class: 'grid', id: 'queue-table' },
      h('caption', { class: 'visually-hidden', text: t('queue.knowledge') }),
      h('thead', null, head), h('tbody', null, rows)));
  }

  /** The long-term list, and above it the actions on any matter by its id (mark long-running, escalate). */
  function renderLongTerm(body, items) {
    const input = h('input', { id: 'lt-matter', type: 'text', autocomplete: 'off', spellcheck: 'false', class: 'mono' });
    const lookup = (a) => h('button', {
      type: 'button', class: 'small ghost', 'data-action': a.name, text: t('action.' + a.name),
      onclick: () => {
        const id = input.value.trim();
        if (!id) { $('lt-matter-error').textContent = t('ltMatterRequired'); input.focus(); return; }
        $('lt-matter-error').textContent = '';
        openAction(a, { matterId: id, title: '' }, null);
      },
    });
    const form = h('div', { class: 'lt-lookup' },
      h('label', { for: 'lt-matter', text: t('ltMatterLabel') }), ' ', input, ' ', LOOKUP_ACTIONS.map((a) => [lookup(a), ' ']),
      h('span', { id: 'lt-matter-error', class: 'field-error', role: 'alert' }));
    if (items.length === 0) { fill(body, form, h('p', { class: 'muted', 'data-empty': 'longTerm', text: t('empty.longTerm') })); return; }
    const head = h('tr', null, ['colMatter', 'colKind', 'colStage', 'colDeadline', 'colOrganizer', 'colActions'].map((k) => h('th', { scope: 'col', text: t(k) })));
    const rows = items.map(({ item }) => h('tr', { 'data-matter': item.matterId, 'data-kind': item.kind },
      h('td', { class: 'title-cell', 'data-field': 'matter' },
        h('div', { class: 'mono', text: item.matterId }),
        h('div', { text: item.title || t('none') }),
        h('div', { class: 'muted small-text nowrap', text: t('since', { t: dateTime(item.since) }) })),
      h('td', { 'data-field': 'kind', text: label('lt.', item.kind) }),
      h('td', { 'data-field': 'stage', text: item.stage ? label('ltStage.', item.stage) : t('none') }),
      // The ordinary deadline is held while the procedure runs: shown as held, with the procedure's own limit.
      h('td', { class: 'when', 'data-field': 'deadline' },
        item.kind === 'finalReport' ? null : h('div', { class: 'held', 'data-held': item.kind, text: t('held') }),
        item.dueBy ? [
          h('div', { class: 'muted small-text', text: t('ownDeadline') }),
          h('div', { class: item.overdue ? 'overdue nowrap' : 'nowrap', 'data-due': item.dueBy, text: dateTime(item.dueBy) }),
          item.overdue ? h('div', { class: 'overdue small-text', text: t('overdue') }) : null,
        ] : null),
      h('td', { 'data-field': 'organizer', 'data-value': item.organizer || '', text: organizerName(item.organizer) }),
      h('td', { class: 'actions' }, actionButtons('longTerm', item, null))));
    fill(body, form, h('table', { class: 'grid', id: 'queue-table' },
      h('caption', { class: 'visually-hidden', text: t('queue.longTerm') }),
      h('thead', null, head), h('tbody', null, rows)));
  }

  function deadlineCell(item, now) {
    if (!item.deadline) return t('none');
    const late = new Date(item.deadline) < new Date(now);
    return [
      h('div', { class: 'muted small-text', text: t(state.queue === 'dispatch' ? 'deadline.dispatch' : 'deadline.other') }),
      h('div', { class: late ? 'overdue nowrap' : 'nowrap', text: dateTime(item.deadline) }),
      late ? h('div', { class: 'overdue small-text', text: t('overdue') }) : null,
    ];
  }

  function detailCell(q, item, route) {
    const parts = [];
    if (q === 'dispatch') {
      parts.push(h('p', { 'data-route': route ? route.lead : '' },
        route ? t('route', { unit: organizerName(route.lead), basis: route.certain ? t('routeCertain') : t('routeUncertain') }) : t('noRoute')));
      if ((item.possibleDuplicates || []).length > 0) {
        parts.push(h('p', null, t('duplicates'), item.possibleDuplicates.map((id, i) => [i ? ', ' : '', h('span', { class: 'mono', text: id })])));
      }
    }
    if (q === 'extension' && item.workingDays != null) parts.push(h('p', { text: t('extensionDays', { n: item.workingDays }) }));
    if (item.reason) parts.push(h('p', { text: t(q === 'verification' ? 'comment' : 'reason', { r: item.reason }) }));
    if (q === 'reply') {
      const reply = state.replies.get(item.matterId);
      if (reply) {
        parts.push(h('p', { 'data-reply': '', text: t('replyText', { r: reply.text }) }));
        parts.push(reply.links.length === 0
          ? h('p', { class: 'muted', text: t('noEvidence') })
          : h('div', { class: 'evidence' }, reply.links.map((l, i) => (l.contentType || '').startsWith('image/')
            ? h('a', { href: l.url, target: '_blank', rel: 'noopener noreferrer' }, h('img', { src: l.url, alt: t('evidenceLabel', { n: i + 1 }), 'data-evidence': l.blob }))
            : h('a', { href: l.url, target: '_blank', rel: 'noopener noreferrer', text: t('evidenceLabel', { n: i + 1 }) }))));
      }
    }
    return parts.length ? parts : t('none');
  }

  function actionButtons(q, item, route) {
    const buttons = ACTIONS[q].filter((a) => !a.only || a.only(item)).map((a) => h('button', {
      type: 'button', class: 'small' + (a.primary ? ' primary' : ' ghost'), 'data-action': a.name,
      'aria-label': `${t('action.' + a.name)} ${item.matterId}`, text: t('action.' + a.name), onclick: () => openAction(a, item, route),
    }));
    if (q === 'dispatch') {
      for (const into of item.possibleDuplicates || []) {
        const merge = { name: 'merge', path: 'merge', into, body: (f) => ({ into, note: f.note }) };
        buttons.push(h('button', {
          type: 'button', class: 'small ghost', 'data-action': 'merge', 'data-into': into,
          text: t('action.merge', { id: into }), onclick: () => openAction(merge, item, route),
        }));
      }
    }
    return buttons.flatMap((b, i) => (i ? [h('br'), b] : [b]));
  }

  function updatePager() {
    $('q-prev').disabled = state.tokens.length === 0;
    $('q-next').disabled = !(state.page && state.page.continuationToken);
    $('q-page').textContent = t('pageN', { n: state.tokens.length + 1 });
  }

  // ---- decisions ----

  function openAction(action, item, route) {
    state.action = { action, item };
    const title = action.name === 'merge' ? t('action.merge', { id: action.into }) : t('action.' + action.name);
    $('action-title').textContent = title;
    $('action-matter').textContent = `${item.matterId} · ${item.title || ''}`;
    const select = $('action-organizer');
    $('action-organizer-row').hidden = !action.organizer;
    if (action.organizer) {
      $('action-organizer-label').textContent = t(action.organizerLabel || (action.organizer === 'required' ? 'organizerLabel' : 'reassignLabel'));
      const units = [...state.directory.keys()].sort();
      const preset = action.organizer === 'required' && route ? route.lead : '';
      fill(select,
        h('option', { value: '', text: action.organizer === 'required' ? '—' : t('reassignNone') }),
        units.filter((u) => u !== item.organizer || action.organizer === 'required').map((u) => h('option', { value: u, selected: u === preset, text: organizerName(u) })));
      select.value = preset;
    }
    const text = TEXTS[action.text];
    $('action-label').textContent = t(text ? text.label : 'noteLabel');
    $('action-text').maxLength = text ? text.max : 2000;
    $('action-submit').textContent = title;
    $('action-text').value = '';
    $('action-error').textContent = '';
    openChoice(action, item);
    $('action-dialog').showModal();
    (action.organizer ? select : action.choice === 'reason' ? $('action-choice') : $('action-text')).focus();
  }

  /** The dialog's second list: the profile's reasons for not accepting, or the knowledge articles matching the matter. */
  function openChoice(action, item) {
    const row = $('action-choice-row');
    const select = $('action-choice');
    row.hidden = !action.choice;
    fill($('action-choice-help'));
    fill(select);
    if (action.choice === 'reason') {
      $('action-choice-label').textContent = t('reasonLabel');
      const reasons = (state.me && state.me.rejections) || [];
      fill(select, h('option', { value: '', text: '—' }),
        reasons.map((r) => h('option', { value: r.code, text: `${state.lang === 'en' ? r.reason.en : r.reason.zh}（${r.basis}）` })));
      select.onchange = () => {
        const r = reasons.find((x) => x.code === select.value);
        fill($('action-choice-help'), r ? t('guidance', { g: state.lang === 'en' ? r.guidance.en : r.guidance.zh }) : null);
      };
    } else if (action.choice === 'outcome') {
      $('action-choice-label').textContent = t('outcomeLabel');
      const next = OUTCOMES[item.stage] || [];
      fill(select, h('option', { value: '', text: '—' }), next.map((o) => h('option', { value: o, text: t('outcome.' + o) })));
      if (next.length === 1) select.value = next[0];
    } else if (action.choice === 'article') {
      $('action-choice-label').textContent = t('articleLabel');
      fill(select, h('option', { value: '', text: t('noArticle') }));
      select.onchange = () => fillAnswer(select.value);
      loadArticles(item);
    }
  }

  /** The articles that best answer the matter, listed and offered; the best one's answer is put in the text to edit. */
  async function loadArticles(item) {
    const select = $('action-choice');
    try {
      const view = await api(`/api/matters/${encodeURIComponent(item.matterId)}/knowledge`);
      if (!state.action || state.action.item !== item) return;
      const hits = view.suggestions || [];
      fill(select, h('option', { value: '', text: t('noArticle') }), hits.map((a) => h('option', { value: a.id, text: `${a.title}（${a.id}）` })));
      fill($('action-choice-help'), hits.length === 0 ? t('noArticles') : [t('articlesTitle'),
        h('ul', { class: 'articles' }, hits.map((a) => h('li', { 'data-article': a.id }, h('strong', { text: a.title }), ' — ', a.snippet)))]);
      if (hits.length > 0) {
        select.value = hits[0].id;
        await fillAnswer(hits[0].id);
      }
    } catch (e) {
      if (state.key || state.signedIn) $('action-error').textContent = readable(e);
    }
  }

  async function fillAnswer(articleId) {
    if (!articleId) return;
    try {
      const article = await api(`/api/knowledge/${encodeURIComponent(articleId)}`);
      if ($('action-choice').value === articleId) $('action-text').value = (state.lang === 'en' && article.answerEn) || article.answer;
    } catch (e) {
      if (state.key || state.signedIn) $('action-error').textContent = readable(e);
    }
  }

  async function submitAction(event) {
    event.preventDefault();
    const current = state.action;
    if (!current) return;
    const { action, item } = current;
    const organizer = $('action-organizer').value;
    if (action.organizer === 'required' && !organizer) { $('action-error').textContent = t('organizerRequired'); return; }
    const choice = $('action-choice').value;
    if (action.choice === 'reason' && !choice) { $('action-error').textContent = t('reasonRequired'); return; }
    if (action.choice === 'outcome' && !choice) { $('action-error').textContent = t('outcomeRequired'); return; }
    const note = $('action-text').value.trim() || null;
    if (TEXTS[action.text] && !note) { $('action-error').textContent = t(TEXTS[action.text].required); return; }
    const submit = $('action-submit');
    submit.disabled = true;
    try {
      const url = action.url ? action.url(item) : `/api/matters/${encodeURIComponent(item.matterId)}/${action.path}`;
      await api(url, { method: 'POST', body: action.body({ organizer, choice, note }) });
      $('action-dialog').close();
      state.action = null;
      notice(t('done', { action: $('action-title').textContent, id: item.matterId }));
      await load();
    } catch (e) {
      if (state.key || state.signedIn) $('action-error').textContent = readable(e);
      else $('action-dialog').close();
    } finally {
      submit.disabled = false;
    }
  }

  // ---- wiring ----

  function start() {
    applyStrings();
    $('sign-in').hidden = document.querySelector('meta[name="hotline-sign-in"]')?.getAttribute('content') !== 'true';
    $('lang').addEventListener('click', () => {
      state.lang = state.lang === 'zh' ? 'en' : 'zh';
      localStorage.setItem(LANG_STORE, state.lang);
      if (!$('bench').hidden) render(); else applyStrings();
    });
    $('sign-out').addEventListener('click', () => signOut(''));
    $('key-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const key = $('staff-key').value.trim();
      if (!key) { $('key-error').textContent = t('keyRequired'); return; }
      enter(key);
    });
    $('refresh').addEventListener('click', () => load());
    $('q-next').addEventListener('click', () => {
      if (!state.page || !state.page.continuationToken) return;
      state.tokens.push(state.token);
      state.token = state.page.continuationToken;
      load();
    });
    $('q-prev').addEventListener('click', () => {
      if (state.tokens.length === 0) return;
      state.token = state.tokens.pop();
      load();
    });
    $('action-form').addEventListener('submit', submitAction);
    $('action-text').addEventListener('input', () => { $('action-error').textContent = ''; });
    $('action-cancel').addEventListener('click', () => { $('action-dialog').close(); state.action = null; });
    $('action-dialog').addEventListener('close', () => { state.action = null; });

    if (state.key) { enter(state.key); return; }
    // Signed in through the platform (Entra ID via App Service authentication)? Then no key is needed.
    fetch('/api/workbench/me', { headers: { accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
      .then((r) => { if (r.ok) { state.signedIn = true; enter(''); } else signOut(''); }, () => signOut(''));
  }

  start();
})();
