/*
 * 12345 organizer page: the matter behind an SMS link (/o/{token}) and what the organizer unit may do with it now.
 * Plain ES2020, no build step, no third-party code. Every visible string is in STRINGS below.
 * The server is the judge: the page offers what `actions` allows, counts down against the server's clock
 * (`now`), and shows the server's refusal when it refuses anyway.
 */
(() => {
  'use strict';

  const STRINGS = {
    zh: {
      appTitle: '12345 工单办理',
      skip: '跳到主要内容',
      loading: '正在加载…',
      langButton: 'English',
      langButtonLabel: 'Switch to English',
      invalidTitle: '链接无效或已过期',
      invalidBody: '此链接有误、已过期或已被撤销，或该工单已不由贵单位办理。如需继续办理，请联系 12345 平台获取新的链接。',
      networkError: '网络异常，请检查网络后重试。',
      serverError: '服务暂时不可用（{status}），请稍后重试。',
      failed: '操作未成功（{status}）。',
      checkFields: '请检查以下内容：',
      required: '请填写此项。',
      wholeDays: '请填写 1 到 {max} 之间的整数。',
      retry: '重试',
      refresh: '刷新',
      dismiss: '关闭提示',
      updatedAt: '数据更新于 {t}',
      matterNo: '工单编号 {id}',
      urgent: '紧急',
      supervised: '督办',
      confidential: '保密',
      sectionDeadlines: '办理时限',
      sectionDetails: '工单详情',
      sectionReplies: '答复记录',
      sectionTimeline: '办理记录',
      fieldType: '类型',
      fieldCategory: '类别',
      fieldReceived: '受理时间',
      fieldAddress: '地址',
      fieldCitizen: '诉求人',
      fieldPhone: '联系电话',
      fieldOrganizer: '承办单位',
      fieldCoOrganizers: '协办单位',
      callLabel: '拨打诉求人电话 {phone}',
      confidentialNote: '诉求人要求对个人信息保密，请通过 12345 平台联系。',
      'deadline.signBy': '签收时限',
      'deadline.returnBy': '退回申请时限',
      'deadline.contactBy': '首次联系时限',
      'deadline.dueBy': '办理时限',
      'deadline.extensionCutoff': '延期申请截止',
      deadlineAt: '{t} 截止',
      left: '剩余 {d}',
      overdue: '已超时 {d}',
      windowClosed: '已截止',
      done: '已完成',
      'dur.dh': '{d}天{h}小时',
      'dur.hm': '{h}小时{m}分',
      'dur.ms': '{m}分{s}秒',
      signTitle: '签收工单',
      signIntro: '请确认本工单属于贵单位职责后签收，签收后开始办理。',
      signButton: '签收',
      signDone: '已签收，请按时限办理。',
      contactTitle: '联系诉求人',
      contactNote: '联系情况',
      contactHint: '如：已电话联系诉求人，约定上门时间。',
      contactButton: '记录联系情况',
      contactDone: '已记录联系情况。',
      returnTitle: '申请退回',
      returnWindow: '退回申请截止 {t}',
      returnIntro: '如本工单不属于贵单位职责，请说明理由和依据，由平台审核后改派。',
      returnReason: '退回理由和依据',
      returnButton: '提交退回申请',
      returnDone: '退回申请已提交，等待平台审核。',
      returnPending: '退回申请审核中，请等待平台决定。',
      replyPending: '答复已提交，正在等待平台审核。',
      evaluationPending: '答复已通过审核，等待市民评价。',
      extensionTitle: '申请延期',
      extensionCutoff: '延期申请截止 {t}',
      extensionDays: '延期天数（工作日）',
      extensionDaysHint: '最多 {n} 个工作日',
      extensionRemaining: '还可申请 {n} 次',
      extensionReason: '延期理由',
      extensionButton: '提交延期申请',
      extensionDone: '延期申请已提交，等待平台审核。',
      extensionClosed: '延期申请已截止，请按期办结。',
      extensionPending: '延期申请审核中。',
      extensionUsedUp: '延期次数已用完。',
      extensionNotNow: '当前不能申请延期。',
      replyTitle: '答复办理结果',
      replyText: '办理结果',
      replyHint: '请写明办理过程和结果，并上传现场照片或视频。',
      replyEvidence: '照片或视频',
      takePhoto: '拍照或录像',
      choosePhoto: '从相册选择',
      evidenceHint: '最多 {n} 个文件；照片不超过 {p}，视频不超过 {v}。',
      removeFile: '移除',
      removeFileLabel: '移除 {name}',
      fileReady: '待上传',
      fileUploading: '上传中 {p}%',
      fileUploaded: '已上传',
      fileFailed: '上传失败',
      uploadingFile: '正在上传第 {i}/{n} 个文件：{name}',
      uploadFailed: '{name} 上传失败，请重试。',
      fileWrongType: '{name}：不支持此文件类型。',
      fileTooBig: '{name}：文件过大（上限 {max}）。',
      tooManyFiles: '最多只能上传 {n} 个文件。',
      replyButton: '提交答复',
      replyDone: '答复已提交，等待平台审核。',
      terminationTitle: '申请终止办理',
      terminationIntro: '诉求人拒不配合，或诉求应通过法定途径解决时，可书面申请终止办理，由平台审核。',
      terminationReason: '终止理由',
      terminationButton: '提交终止申请',
      terminationDone: '终止申请已提交，等待平台审核。',
      terminationPending: '终止申请审核中。',
      heldNote: '本工单{by}，办理时限暂停计算。',
      'held.longRunning': '已列为长期推进事项（广州办法）',
      'held.legalProcedure': '正在进行法定程序（广州办法）',
      'held.escalation': '已提请市政府办公室研究解决（潍坊条例第23条）',
      planTitle: '长期推进：解决方案',
      planIntro: '请制定解决方案，并按期向诉求人和热线反馈阶段性工作情况（广州办法）。方案时限：{t}',
      planText: '解决方案',
      planButton: '提交解决方案',
      planDone: '解决方案已提交。',
      feedbackTitle: '长期推进：阶段性反馈',
      feedbackIntro: '下次阶段性反馈时限：{t}',
      feedbackText: '阶段性工作情况',
      feedbackButton: '提交阶段性反馈',
      feedbackDone: '阶段性反馈已提交。',
      legalTitle: '需通过法定程序推进',
      legalIntro: '诉求须通过诉讼、仲裁、行政复议等法定程序推进时，请登记；程序进行期间办理时限暂停，程序结束后3个工作日内须反馈最终情况（广州办法）。',
      legalKind: '法定程序',
      legalNote: '程序说明',
      legalButton: '登记法定程序',
      legalDone: '法定程序已登记，办理时限暂停。',
      legalEndTitle: '法定程序结束',
      legalEndNote: '程序结果',
      legalEndButton: '登记程序结束',
      legalEndDone: '已登记程序结束，请在3个工作日内答复最终情况。',
      'legalKind.litigation': '诉讼',
      'legalKind.arbitration': '仲裁',
      'legalKind.administrativeReconsideration': '行政复议',
      'legalKind.administrativeEnforcement': '行政执法程序',
      'legalKind.other': '其他法定程序',
      'refusal.longTerm.clock-held': '工单处于长期推进、法定程序或提级办理中，须先结束后再答复。',
      'refusal.longRunning.plan-missing': '请先提交解决方案，再反馈阶段性情况。',
      'refusal.legalProcedure.report-not-extendable': '法定程序结束后的最终情况反馈时限不能延期。',
      busy: '正在提交…',
      'refusal.status.invalid': '工单当前状态不允许此操作。',
      'refusal.organizer.not-assigned': '该工单已不由贵单位办理。',
      'refusal.actor.not-allowed': '贵单位无权进行此操作。',
      'refusal.return.window-closed': '已超过退回申请时限，不能再申请退回。',
      'refusal.return.designated-unit': '本工单由平台指定贵单位办理，不能退回。',
      'refusal.extension.after-cutoff': '已超过延期申请截止时间，不能再申请延期。',
      'refusal.extension.too-many': '延期申请次数已用完。',
      'refusal.extension.too-long': '延期天数超过允许的上限。',
      'refusal.extension.pending': '已有延期申请正在审核。',
      'refusal.termination.pending': '已有终止申请正在审核。',
      'refusal.reply.evidence-required': '答复须附现场照片或视频。',
      'refusal.reply.evidence-type': '附件类型不符合要求。',
      nothingToDo: '当前没有需要您办理的操作。',
      knowledgeTitle: '知识库：提出新增或更新',
      knowledgeIntro: '贵单位的政策和答复有变化时，可在此提出新增条目或更新本单位的条目，经平台审核后发布。',
      knowledgeArticle: '条目',
      knowledgeNew: '新增条目',
      knowledgeUpdate: '更新：{title}（第 {v} 版）',
      knowledgeTitleField: '标题',
      knowledgeAnswer: '答复内容',
      knowledgeButton: '提交平台审核',
      knowledgeDone: '已提交，平台审核后发布。',
      knowledgeMine: '本单位的提案',
      'proposal.pending': '审核中',
      'proposal.approved': '已发布',
      'proposal.refused': '未通过',
      proposalReason: '平台意见：{r}',
      'refusal.knowledge.stale-version': '该条目已被修改，请重新选择后再提出。',
      'refusal.knowledge.retired': '该条目已停用，请提出新增条目。',
      replyAccepted: '已通过审核',
      replySentBack: '已退回',
      replyReviewing: '审核中',
      replyNote: '审核意见：{note}',
      evidenceItem: '{kind}，{size}',
      photo: '照片',
      video: '视频',
      'status.awaitingDispatch': '待派单',
      'status.awaitingSignOff': '待签收',
      'status.handling': '办理中',
      'status.returnRequested': '退回审核中',
      'status.replyUnderReview': '答复审核中',
      'status.awaitingEvaluation': '待市民评价',
      'status.rejected': '不予受理',
      'status.answered': '已解答',
      'status.terminated': '已终止',
      'status.closed': '已办结',
      'status.merged': '已合并',
      'type.consultation': '咨询',
      'type.help': '求助',
      'type.complaint': '投诉',
      'type.report': '举报',
      'type.suggestion': '意见建议',
      'urgency.normal': '一般',
      'urgency.urgent': '紧急',
      'event.matterSubmitted': '工单受理',
      'event.matterRejected': '不予受理',
      'event.answeredOnTheSpot': '当场解答',
      'event.matterDispatched': '派单',
      'event.matterSigned': '签收',
      'event.returnApplied': '申请退回',
      'event.returnApproved': '退回获准',
      'event.returnRefused': '退回被驳回',
      'event.citizenContacted': '联系诉求人',
      'event.extensionApplied': '申请延期',
      'event.extensionApproved': '延期获准',
      'event.extensionRefused': '延期被驳回',
      'event.terminationApplied': '申请终止',
      'event.terminationApproved': '终止获准',
      'event.terminationRefused': '终止被驳回',
      'event.longRunningMarked': '列为长期推进',
      'event.solutionPlanSubmitted': '提交解决方案',
      'event.stagedFeedbackGiven': '阶段性反馈',
      'event.longRunningEnded': '长期推进结束',
      'event.legalProcedureStarted': '进入法定程序',
      'event.legalProcedureEnded': '法定程序结束',
      'event.matterEscalated': '提级办理',
      'event.escalationOutcomeRecorded': '提级办理结果',
      'event.replySubmitted': '提交答复',
      'event.replyAccepted': '答复通过审核',
      'event.replySentBack': '答复被退回',
      'event.matterEvaluated': '市民评价',
      'event.handlingRestarted': '重新办理',
      'event.supervisionStarted': '纳入督办',
      'event.supervisionLifted': '解除督办',
      'event.alarmFired': '时限提醒',
      'event.matterClosed': '办结',
      'event.matterMerged': '合并至其他工单',
      'event.duplicateAbsorbed': '合并重复工单',
      'event.possibleDuplicatesFlagged': '发现可能重复的工单',
      'category.construction-noise': '施工噪音',
      'category.consumer-rights': '消费维权',
      'category.drainage': '排水',
      'category.education-fees': '教育收费',
      'category.elevator': '电梯',
      'category.employment': '就业',
      'category.environmental-noise': '环境噪声',
      'category.food-safety': '食品安全',
      'category.gas-leak-followup': '燃气泄漏后续',
      'category.gas-supply': '燃气供应',
      'category.housing': '住房',
      'category.illegal-construction': '违法建设',
      'category.pollution': '环境污染',
      'category.power-outage': '停电',
      'category.power-supply': '供电',
      'category.price': '价格',
      'category.property-management': '物业管理',
      'category.public-transport': '公共交通',
      'category.road-damage': '道路破损',
      'category.road-lighting': '路灯照明',
      'category.sanitation': '环境卫生',
      'category.school-enrolment': '入学',
      'category.social-insurance': '社会保险',
      'category.street-vending': '占道经营',
      'category.taxi': '出租车',
      'category.wage-arrears': '欠薪',
      'category.water-pressure': '水压不足',
      'category.water-quality': '水质',
      'category.water-supply': '供水',
      'district.donghu': '东湖区',
      'district.xiling': '西陵区',
      'district.nangang': '南港区',
      'district.beitang': '北塘区',
      // Co-organizers (Fujian 16; Weifang 22) and the reply "explained, not solvable now" (Fujian 20(7); Weifang 20(3)).
      partTitle: '协办意见',
      partIntro: '贵单位为本工单的协办单位，由 {lead} 牵头办理。请在时限内提交贵单位负责部分的办理情况，牵头单位汇总后答复。',
      partDue: '提交时限：{t}',
      partText: '协办办理情况',
      partHint: '写明贵单位做了什么、结果如何。',
      partButton: '提交协办意见',
      partDone: '协办意见已提交，牵头单位可以看到。',
      partSubmitted: '已于 {t} 提交：',
      partsTitle: '协办单位意见',
      partPending: '待提交',
      partOnTime: '已提交',
      partLate: '逾期提交',
      partOverdue: '已逾期未提交',
      replyKind: '答复类型',
      'replyKind.solved': '已解决',
      'replyKind.explainedNotSolvable': '目前暂无法解决，已向市民解释说明',
      replyKindHint: '选择“暂无法解决”须先登记与市民的联系情况。',
      'event.coOrganizersAssigned': '协办单位',
      'event.coOrganizerPartSubmitted': '协办意见提交',
      'refusal.reply.contact-required': '请先登记与市民的联系情况，再答复“目前暂无法解决”。',
      'refusal.coOrganizer.not-assigned': '贵单位不是本工单的协办单位。',
      'refusal.coOrganizer.part-submitted': '贵单位已提交过协办意见。',
    },
    en: {
      appTitle: '12345 Matter handling',
      skip: 'Skip to the matter',
      loading: 'Loading…',
      langButton: '中文',
      langButtonLabel: '切换到中文',
      invalidTitle: 'This link is no longer valid',
      invalidBody: 'The link is wrong, has expired or was revoked, or the matter is no longer with your unit. Please ask the 12345 platform for a new link.',
      networkError: 'Network problem. Check your connection and try again.',
      serverError: 'The service is unavailable right now ({status}). Please try again later.',
      failed: 'That did not work ({status}).',
      checkFields: 'Please check:',
      required: 'Please fill this in.',
      wholeDays: 'Enter a whole number from 1 to {max}.',
      retry: 'Try again',
      refresh: 'Refresh',
      dismiss: 'Dismiss',
      updatedAt: 'Updated {t}',
      matterNo: 'Matter {id}',
      urgent: 'Urgent',
      supervised: 'Supervised',
      confidential: 'Confidential',
      sectionDeadlines: 'Time limits',
      sectionDetails: 'The matter',
      sectionReplies: 'Replies',
      sectionTimeline: 'History',
      fieldType: 'Type',
      fieldCategory: 'Category',
      fieldReceived: 'Received',
      fieldAddress: 'Address',
      fieldCitizen: 'Citizen',
      fieldPhone: 'Phone',
      fieldOrganizer: 'Lead unit',
      fieldCoOrganizers: 'Co-organizers',
      callLabel: 'Call the citizen on {phone}',
      confidentialNote: 'The citizen asked for confidentiality: contact them through the 12345 platform.',
      'deadline.signBy': 'Sign-off',
      'deadline.returnBy': 'Return applications',
      'deadline.contactBy': 'First contact with the citizen',
      'deadline.dueBy': 'Handling',
      'deadline.extensionCutoff': 'Extension applications',
      deadlineAt: 'ends {t}',
      left: '{d} left',
      overdue: 'overdue by {d}',
      windowClosed: 'closed',
      done: 'done',
      'dur.dh': '{d} d {h} h',
      'dur.hm': '{h} h {m} min',
      'dur.ms': '{m} min {s} s',
      signTitle: 'Sign for this matter',
      signIntro: 'Sign once you have checked that the matter is within your unit\'s duties; handling starts when you sign.',
      signButton: 'Sign',
      signDone: 'Signed. Please handle it within the time limit.',
      contactTitle: 'Contact the citizen',
      contactNote: 'What was said',
      contactHint: 'For example: called the citizen and agreed a visit.',
      contactButton: 'Record the contact',
      contactDone: 'Contact recorded.',
      returnTitle: 'Apply to return',
      returnWindow: 'Return applications close {t}',
      returnIntro: 'If the matter is not within your unit\'s duties, give the reasons and basis; the platform reviews and reassigns it.',
      returnReason: 'Reasons and basis',
      returnButton: 'Apply to return',
      returnDone: 'Return application sent; the platform will review it.',
      returnPending: 'Your return application is being reviewed.',
      replyPending: 'Your reply was sent and is being reviewed.',
      evaluationPending: 'Your reply was accepted; the citizen may now evaluate it.',
      extensionTitle: 'Apply for an extension',
      extensionCutoff: 'Extension applications close {t}',
      extensionDays: 'Extension (working days)',
      extensionDaysHint: 'At most {n} working days',
      extensionRemaining: '{n} application(s) left',
      extensionReason: 'Reasons',
      extensionButton: 'Apply for an extension',
      extensionDone: 'Extension application sent; the platform will review it.',
      extensionClosed: 'Extension applications are closed; please finish within the time limit.',
      extensionPending: 'Your extension application is being reviewed.',
      extensionUsedUp: 'No extensions left.',
      extensionNotNow: 'An extension cannot be applied for now.',
      replyTitle: 'Reply with the result',
      replyText: 'Result',
      replyHint: 'Describe what was done and the result, with photos or videos from the site.',
      replyEvidence: 'Photos or videos',
      takePhoto: 'Take a photo or video',
      choosePhoto: 'Choose from the gallery',
      evidenceHint: 'At most {n} files; photos up to {p}, videos up to {v}.',
      removeFile: 'Remove',
      removeFileLabel: 'Remove {name}',
      fileReady: 'ready',
      fileUploading: 'uploading {p}%',
      fileUploaded: 'uploaded',
      fileFailed: 'upload failed',
      uploadingFile: 'Uploading file {i} of {n}: {name}',
      uploadFailed: '{name} could not be uploaded. Please try again.',
      fileWrongType: '{name}: this type of file is not accepted.',
      fileTooBig: '{name}: too large (at most {max}).',
      tooManyFiles: 'At most {n} files.',
      replyButton: 'Send the reply',
      replyDone: 'Reply sent; the platform will review it.',
      terminationTitle: 'Apply to terminate',
      terminationIntro: 'When the citizen refuses to cooperate, or the matter belongs to a legal procedure, apply in writing to terminate; the platform reviews it.',
      terminationReason: 'Reasons',
      terminationButton: 'Apply to terminate',
      terminationDone: 'Termination application sent; the platform will review it.',
      terminationPending: 'Your termination application is being reviewed.',
      heldNote: 'This matter {by}; its handling deadline is held.',
      'held.longRunning': 'is long-running (Guangzhou measures)',
      'held.legalProcedure': 'is going through a legal procedure (Guangzhou measures)',
      'held.escalation': 'is escalated to the municipal government office (Weifang art. 23)',
      planTitle: 'Long-running: solution plan',
      planIntro: 'Draw up a solution plan, then give staged feedback to the citizen and the hotline regularly (Guangzhou measures). Plan due: {t}',
      planText: 'Solution plan',
      planButton: 'Submit the plan',
      planDone: 'Solution plan submitted.',
      feedbackTitle: 'Long-running: staged feedback',
      feedbackIntro: 'Next staged feedback due: {t}',
      feedbackText: 'Progress so far',
      feedbackButton: 'Send staged feedback',
      feedbackDone: 'Staged feedback sent.',
      legalTitle: 'A legal procedure is needed',
      legalIntro: 'When the matter must go through litigation, arbitration, reconsideration or another legal procedure, record it: the deadline is held meanwhile, and the final situation is reported within 3 working days after it ends (Guangzhou measures).',
      legalKind: 'Procedure',
      legalNote: 'Details',
      legalButton: 'Record the procedure',
      legalDone: 'Legal procedure recorded; the deadline is held.',
      legalEndTitle: 'The legal procedure ended',
      legalEndNote: 'Outcome',
      legalEndButton: 'Record the end',
      legalEndDone: 'End recorded: reply with the final situation within 3 working days.',
      'legalKind.litigation': 'Litigation',
      'legalKind.arbitration': 'Arbitration',
      'legalKind.administrativeReconsideration': 'Administrative reconsideration',
      'legalKind.administrativeEnforcement': 'Administrative enforcement',
      'legalKind.other': 'Other legal procedure',
      'refusal.longTerm.clock-held': 'The matter is long-running, in a legal procedure or escalated: that ends first, then you reply.',
      'refusal.longRunning.plan-missing': 'Submit the solution plan before staged feedback.',
      'refusal.legalProcedure.report-not-extendable': 'The report after a legal procedure cannot be extended.',
      busy: 'Sending…',
      'refusal.status.invalid': 'This cannot be done in the matter\'s current state.',
      'refusal.organizer.not-assigned': 'The matter is no longer with your unit.',
      'refusal.actor.not-allowed': 'Your unit may not do this.',
      'refusal.return.window-closed': 'The return window has closed.',
      'refusal.return.designated-unit': 'The platform designated your unit for this matter: it cannot be returned.',
      'refusal.extension.after-cutoff': 'Extension applications have closed for this matter.',
      'refusal.extension.too-many': 'No extensions left.',
      'refusal.extension.too-long': 'That extension is longer than allowed.',
      'refusal.extension.pending': 'An extension application is already under review.',
      'refusal.termination.pending': 'A termination application is already under review.',
      'refusal.reply.evidence-required': 'The reply needs photos or videos from the site.',
      'refusal.reply.evidence-type': 'An attachment is of a type that is not accepted.',
      nothingToDo: 'Nothing to do right now.',
      knowledgeTitle: 'Knowledge base: propose a new or updated answer',
      knowledgeIntro: 'When your unit\'s policies or answers change, propose a new article or an update of one of your own here; the platform reviews it before it is published.',
      knowledgeArticle: 'Article',
      knowledgeNew: 'New article',
      knowledgeUpdate: 'Update: {title} (version {v})',
      knowledgeTitleField: 'Title',
      knowledgeAnswer: 'Answer',
      knowledgeButton: 'Send for review',
      knowledgeDone: 'Sent; the platform publishes it after review.',
      knowledgeMine: 'Your unit\'s proposals',
      'proposal.pending': 'Under review',
      'proposal.approved': 'Published',
      'proposal.refused': 'Not accepted',
      proposalReason: 'Platform: {r}',
      'refusal.knowledge.stale-version': 'The article has changed; choose it again and propose once more.',
      'refusal.knowledge.retired': 'The article is retired; propose a new one.',
      replyAccepted: 'Accepted',
      replySentBack: 'Sent back',
      replyReviewing: 'Under review',
      replyNote: 'Reviewer\'s note: {note}',
      evidenceItem: '{kind}, {size}',
      photo: 'Photo',
      video: 'Video',
      'status.awaitingDispatch': 'Awaiting dispatch',
      'status.awaitingSignOff': 'Awaiting sign-off',
      'status.handling': 'Handling',
      'status.returnRequested': 'Return under review',
      'status.replyUnderReview': 'Reply under review',
      'status.awaitingEvaluation': 'Awaiting evaluation',
      'status.rejected': 'Not accepted',
      'status.answered': 'Answered',
      'status.terminated': 'Terminated',
      'status.closed': 'Closed',
      'status.merged': 'Merged',
      'type.consultation': 'Consultation',
      'type.help': 'Help',
      'type.complaint': 'Complaint',
      'type.report': 'Report',
      'type.suggestion': 'Suggestion',
      'urgency.normal': 'Normal',
      'urgency.urgent': 'Urgent',
      'event.matterSubmitted': 'Received',
      'event.matterRejected': 'Not accepted',
      'event.answeredOnTheSpot': 'Answered on the spot',
      'event.matterDispatched': 'Dispatched',
      'event.matterSigned': 'Signed',
      'event.returnApplied': 'Return applied for',
      'event.returnApproved': 'Return approved',
      'event.returnRefused': 'Return refused',
      'event.citizenContacted': 'Citizen contacted',
      'event.extensionApplied': 'Extension applied for',
      'event.extensionApproved': 'Extension approved',
      'event.extensionRefused': 'Extension refused',
      'event.terminationApplied': 'Termination applied for',
      'event.terminationApproved': 'Termination approved',
      'event.terminationRefused': 'Termination refused',
      'event.longRunningMarked': 'Marked long-running',
      'event.solutionPlanSubmitted': 'Solution plan submitted',
      'event.stagedFeedbackGiven': 'Staged feedback',
      'event.longRunningEnded': 'Long-running ended',
      'event.legalProcedureStarted': 'Legal procedure started',
      'event.legalProcedureEnded': 'Legal procedure ended',
      'event.matterEscalated': 'Escalated',
      'event.escalationOutcomeRecorded': 'Escalation outcome',
      'event.replySubmitted': 'Reply sent',
      'event.replyAccepted': 'Reply accepted',
      'event.replySentBack': 'Reply sent back',
      'event.matterEvaluated': 'Evaluated by the citizen',
      'event.handlingRestarted': 'Handling restarted',
      'event.supervisionStarted': 'Put under supervision',
      'event.supervisionLifted': 'Supervision lifted',
      'event.alarmFired': 'Time-limit reminder',
      'event.matterClosed': 'Closed',
      'event.matterMerged': 'Merged into another matter',
      'event.duplicateAbsorbed': 'Duplicate merged in',
      'event.possibleDuplicatesFlagged': 'Possible duplicates found',
      'category.construction-noise': 'Construction noise',
      'category.consumer-rights': 'Consumer rights',
      'category.drainage': 'Drainage',
      'category.education-fees': 'Education fees',
      'category.elevator': 'Lifts',
      'category.employment': 'Employment',
      'category.environmental-noise': 'Environmental noise',
      'category.food-safety': 'Food safety',
      'category.gas-leak-followup': 'Gas leak follow-up',
      'category.gas-supply': 'Gas supply',
      'category.housing': 'Housing',
      'category.illegal-construction': 'Illegal construction',
      'category.pollution': 'Pollution',
      'category.power-outage': 'Power outage',
      'category.power-supply': 'Power supply',
      'category.price': 'Prices',
      'category.property-management': 'Property management',
      'category.public-transport': 'Public transport',
      'category.road-damage': 'Road damage',
      'category.road-lighting': 'Street lighting',
      'category.sanitation': 'Sanitation',
      'category.school-enrolment': 'School enrolment',
      'category.social-insurance': 'Social insurance',
      'category.street-vending': 'Street vending',
      'category.taxi': 'Taxis',
      'category.wage-arrears': 'Unpaid wages',
      'category.water-pressure': 'Low water pressure',
      'category.water-quality': 'Water quality',
      'category.water-supply': 'Water supply',
      'district.donghu': 'Donghu District',
      'district.xiling': 'Xiling District',
      'district.nangang': 'Nangang District',
      'district.beitang': 'Beitang District',
      partTitle: 'Your part',
      partIntro: 'Your unit co-organizes this matter; {lead} leads it. Submit what your unit did for its part by the deadline; the lead unit replies for the whole matter.',
      partDue: 'Due {t}',
      partText: 'What your unit did',
      partHint: 'Say what your unit did and with what result.',
      partButton: 'Submit your part',
      partDone: 'Your part is submitted; the lead unit can see it.',
      partSubmitted: 'Submitted {t}:',
      partsTitle: "Co-organizers' parts",
      partPending: 'Not yet submitted',
      partOnTime: 'Submitted',
      partLate: 'Submitted late',
      partOverdue: 'Overdue, not submitted',
      replyKind: 'The reply says',
      'replyKind.solved': 'Solved',
      'replyKind.explainedNotSolvable': 'Cannot be solved at present; explained to the citizen',
      replyKindHint: 'Record the contact with the citizen before replying that the matter cannot be solved at present.',
      'event.coOrganizersAssigned': 'Co-organizers named',
      'event.coOrganizerPartSubmitted': "A co-organizer's part submitted",
      'refusal.reply.contact-required': 'Record the contact with the citizen before replying that the matter cannot be solved at present.',
      'refusal.coOrganizer.not-assigned': 'Your unit is not a co-organizer of this matter.',
      'refusal.coOrganizer.part-submitted': 'Your unit has already submitted its part.',
    },
  };

  const LANG_KEY = 'hotline.organizer.lang';
  const TIME_ZONE = 'Asia/Shanghai';
  const SOON_MS = 2 * 3600 * 1000;
  const EXTENSION_TYPES = {
    jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', heic: 'image/heic', heif: 'image/heif',
    mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm',
  };
  const DEFAULT_LIMITS = { contentTypes: ['image/jpeg', 'image/png', 'video/mp4'], maxPhotoBytes: 10485760, maxVideoBytes: 52428800, maxFiles: 9 };

  const state = {
    lang: 'zh',
    token: '',
    view: null,
    offset: 0, // server clock minus device clock, from the view's `now`
    loadedAt: 0,
    invalid: false,
    loadError: null,
    busy: null, // the action being sent, if any
    drafts: {}, // typed text, kept across re-renders, language switches and refreshes
    fieldErrors: null, // { form, errors: { field: [messages] } }
    files: [], // evidence chosen for the reply: { id, file, type, url, status, progress, blob }
    pastCutoff: null,
    knowledge: null, // GET /api/o/{token}/knowledge-proposals, read when the section is first opened
    knowledgeOpen: false,
  };
  let nextFileId = 1;

  // ---------- words ----------

  function t(key, params) {
    const table = STRINGS[state.lang] || STRINGS.zh;
    let text = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : STRINGS.zh[key];
    if (text === undefined) return key;
    if (params) text = text.replace(/\{(\w+)\}/g, (m, name) => (params[name] === undefined ? m : String(params[name])));
    return text;
  }

  /** An enumeration's label, or the value itself when the dictionary has no word for it. */
  function word(prefix, value) {
    if (value === undefined || value === null || value === '') return '';
    const key = prefix + '.' + value;
    return Object.prototype.hasOwnProperty.call(STRINGS[state.lang], key) || Object.prototype.hasOwnProperty.call(STRINGS.zh, key) ? t(key) : String(value);
  }

  function normalizeLang(value) {
    const v = String(value || '').toLowerCase();
    if (v.startsWith('en')) return 'en';
    if (v.startsWith('zh')) return 'zh';
    return null;
  }

  function initialLang() {
    const asked = normalizeLang(new URLSearchParams(location.search).get('lang'));
    if (asked) return asked;
    try {
      const stored = normalizeLang(localStorage.getItem(LANG_KEY));
      if (stored) return stored;
    } catch (e) {
      // Storage may be off (private mode): Chinese by default.
    }
    return 'zh';
  }

  function switchLang() {
    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    try {
      localStorage.setItem(LANG_KEY, state.lang);
    } catch (e) {
      // Not remembered; still switched.
    }
    const url = new URL(location.href);
    if (url.searchParams.has('lang')) {
      url.searchParams.set('lang', state.lang);
      history.replaceState(null, '', url.pathname + url.search + url.hash);
    }
    renderAll();
    document.getElementById('lang').focus();
  }

  // ---------- time ----------

  const serverNow = () => Date.now() + state.offset;
  const instant = (iso) => {
    const ms = iso ? Date.parse(iso) : NaN;
    return Number.isNaN(ms) ? null : ms;
  };

  let timeFormat = null;
  function timeParts(ms) {
    if (!timeFormat) {
      timeFormat = new Intl.DateTimeFormat('en-GB', {
        timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
      });
    }
    const parts = {};
    for (const p of timeFormat.formatToParts(new Date(ms))) parts[p.type] = p.value;
    return parts;
  }

  /** "03-05 17:30" in China Standard Time; the year too when it is not this year's. */
  function shortTime(ms) {
    const p = timeParts(ms);
    const year = timeParts(serverNow()).year;
    return (p.year !== year ? p.year + '-' : '') + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute;
  }

  function clockTime(ms) {
    const p = timeParts(ms);
    return p.hour + ':' + p.minute + ':' + p.second;
  }

  function duration(ms) {
    let s = Math.floor(Math.abs(ms) / 1000);
    const d = Math.floor(s / 86400);
    s %= 86400;
    const h = Math.floor(s / 3600);
    s %= 3600;
    const m = Math.floor(s / 60);
    s %= 60;
    if (d > 0) return t('dur.dh', { d, h });
    if (h > 0) return t('dur.hm', { h, m });
    return t('dur.ms', { m, s: String(s).padStart(2, '0') });
  }

  function size(bytes) {
    if (!(bytes >= 0)) return '';
    if (bytes < 1024) return bytes + '\u00a0B';
    if (bytes < 1024 * 1024) return Math.round(bytes / 1024) + '\u00a0KB';
    const mb = bytes / (1024 * 1024);
    return (mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10) + '\u00a0MB';
  }

  // ---------- DOM ----------

  /** Builds an element; children are nodes or text (never parsed as HTML). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [name, value] of Object.entries(attrs)) {
        if (value === undefined || value === null || value === false) continue;
        if (name === 'class') el.className = value;
        else if (name === 'text') el.textContent = value;
        else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
        else if (name === 'value') el.value = value;
        else el.setAttribute(name, value === true ? '' : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  const $ = (id) => document.getElementById(id);

  function card(id, title, ...content) {
    return h('section', { class: 'card', id, 'aria-labelledby': id + '-h' }, h('h2', { id: id + '-h', text: title }), ...content);
  }

  // ---------- messages ----------

  function clearMessages() {
    $('notice').replaceChildren();
    $('alert').replaceChildren();
  }

  function dismissButton() {
    return h('button', { type: 'button', class: 'dismiss', 'aria-label': t('dismiss'), onclick: clearMessages }, '×');
  }

  function say(text) {
    $('alert').replaceChildren();
    $('notice').replaceChildren(h('p', { class: 'msg ok' }, h('span', { text }), dismissButton()));
  }

  function complain(text, list) {
    $('notice').replaceChildren();
    const items = list && list.length ? h('ul', null, list.map((line) => h('li', { text: line }))) : null;
    $('alert').replaceChildren(h('div', { class: 'msg error' }, h('div', null, h('p', { text }), items), dismissButton()));
  }

  // ---------- the API ----------

  class Problem extends Error {
    constructor(status, body) {
      super((body && (body.detail || body.title)) || 'HTTP ' + status);
      this.status = status;
      this.body = body || {};
    }
  }

  class UploadError extends Error {
    constructor(file, status) {
      super('upload ' + status);
      this.file = file;
      this.status = status;
    }
  }

  const apiBase = () => '/api/o/' + encodeURIComponent(state.token);

  async function api(method, path, body) {
    const init = { method, headers: { Accept: 'application/json, application/problem+json' }, cache: 'no-store', credentials: 'same-origin' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(apiBase() + path, init);
    } catch (e) {
      throw new Problem(0, null);
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = null;
      }
    }
    if (!response.ok) throw new Problem(response.status, data);
    return data;
  }

  /** PUTs a file straight to storage with the headers the grant names, reporting progress (fetch cannot). */
  function upload(grant, entry, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('PUT', grant.uploadUrl);
      for (const [name, value] of Object.entries(grant.headers || {})) xhr.setRequestHeader(name, value);
      xhr.upload.addEventListener('progress', (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      });
      xhr.addEventListener('load', () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new UploadError(entry, xhr.status))));
      xhr.addEventListener('error', () => reject(new UploadError(entry, 0)));
      xhr.addEventListener('abort', () => reject(new UploadError(entry, 0)));
      xhr.send(entry.file);
    });
  }

  // ---------- loading ----------

  function tokenFromPath() {
    const match = location.pathname.match(/\/o\/([^/]+)\/?$/);
    if (!match) return '';
    try {
      return decodeURIComponent(match[1]);
    } catch (e) {
      return match[1];
    }
  }

  function accept(view) {
    state.view = view;
    state.loadError = null;
    const now = instant(view && view.now);
    state.offset = now === null ? 0 : now - Date.now();
    state.loadedAt = Date.now();
    renderAll();
  }

  async function load() {
    if (!state.token) {
      state.invalid = true;
      renderAll();
      return;
    }
    try {
      accept(await api('GET', ''));
    } catch (p) {
      if (p.status === 404) {
        state.invalid = true;
      } else {
        state.loadError = p;
      }
      renderAll();
    }
  }

  // ---------- actions ----------

  const draft = (key) => state.drafts[key] || '';

  function fieldError(form, field, message) {
    state.fieldErrors = { form, errors: { [field]: [message] } };
  }

  function setBusy(form, busy) {
    const el = $('form-' + form);
    if (!el) return;
    el.setAttribute('aria-busy', busy ? 'true' : 'false');
    for (const control of el.querySelectorAll('input, textarea')) control.readOnly = busy;
    for (const button of el.querySelectorAll('button')) {
      if (busy) button.setAttribute('aria-disabled', 'true');
      else button.removeAttribute('aria-disabled');
    }
    const submit = el.querySelector('button.primary');
    if (submit) {
      if (busy) {
        submit.dataset.label = submit.textContent;
        submit.textContent = t('busy');
      } else if (submit.dataset.label) {
        submit.textContent = submit.dataset.label;
      }
    }
  }

  /**
   * Runs one action: `work` returns the new view (it may upload first). On success the page re-renders from that
   * view; on refusal it shows why and fetches the view again.
   */
  async function run(form, doneKey, work) {
    if (state.busy) return;
    clearMessages();
    state.fieldErrors = null;
    state.busy = form;
    setBusy(form, true);
    let view;
    try {
      view = await work();
    } catch (error) {
      state.busy = null;
      refused(form, error);
      return;
    }
    state.busy = null;
    for (const key of Object.keys(state.drafts)) if (key.startsWith(form + '.')) delete state.drafts[key];
    accept(view);
    say(t(doneKey));
    $('messages').focus({ preventScroll: false });
  }

  const send = (form, path, body, doneKey) => run(form, doneKey, () => api('POST', '/' + path, body));

  function refused(form, error) {
    if (error instanceof UploadError) {
      error.file.status = 'failed';
      renderAll();
      complain(t('uploadFailed', { name: error.file.file.name }));
      return;
    }
    if (error.status === 404) {
      state.invalid = true;
      renderAll();
      return;
    }
    if (error.status === 0) {
      renderAll();
      complain(t('networkError'));
      return;
    }
    const body = error.body || {};
    if (body.errors && typeof body.errors === 'object') {
      state.fieldErrors = { form, errors: body.errors };
      renderAll();
      const lines = [];
      for (const [field, messages] of Object.entries(body.errors)) {
        for (const message of [].concat(messages)) lines.push((fieldLabel(form, field) || field) + ': ' + message);
      }
      complain(t('checkFields'), lines);
      focusFirstInvalid(form);
      return;
    }
    renderAll();
    // A known refusal gets a headline in the page's language; the server's own explanation follows it.
    const said = body.detail || body.title || (error.status >= 500 ? t('serverError', { status: error.status }) : t('failed', { status: error.status }));
    const known = body.code && Object.prototype.hasOwnProperty.call(STRINGS.zh, 'refusal.' + body.code);
    if (known) complain(t('refusal.' + body.code), [said]);
    else complain(said);
    // The refusal may mean the page is out of date (a window closed, someone else acted): fetch the view again,
    // keeping the message and whatever was typed.
    if (error.status === 409 || error.status === 422 || error.status === 403) {
      refresh();
      if (form === 'knowledge') loadKnowledge();
    }
  }

  async function refresh() {
    try {
      const view = await api('GET', '');
      if (!state.busy) accept(view);
    } catch (p) {
      if (p.status === 404) {
        state.invalid = true;
        renderAll();
      }
    }
  }

  function focusFirstInvalid(form) {
    const el = document.querySelector('#form-' + form + ' [aria-invalid="true"]');
    if (el) el.focus();
  }

  const FORM_FIELDS = {
    contact: { note: 'contactNote' },
    return: { reason: 'returnReason' },
    extension: { workingDays: 'extensionDays', reason: 'extensionReason' },
    reply: { text: 'replyText', evidence: 'replyEvidence', contentType: 'replyEvidence', bytes: 'replyEvidence' },
    termination: { reason: 'terminationReason' },
    knowledge: { title: 'knowledgeTitleField', answer: 'knowledgeAnswer', articleId: 'knowledgeArticle', version: 'knowledgeArticle' },
    plan: { plan: 'planText' },
    feedback: { text: 'feedbackText' },
    legal: { kind: 'legalKind', note: 'legalNote' },
    legalEnd: { note: 'legalEndNote' },
  };

  function fieldLabel(form, field) {
    const fields = FORM_FIELDS[form] || {};
    const name = Object.keys(fields).find((f) => f.toLowerCase() === String(field).toLowerCase());
    return name ? t(fields[name]) : null;
  }

  function errorsFor(form, field) {
    const fe = state.fieldErrors;
    if (!fe || fe.form !== form) return [];
    const out = [];
    for (const [name, messages] of Object.entries(fe.errors)) {
      const same = name.toLowerCase() === field.toLowerCase();
      const evidence = field === 'evidence' && ['contenttype', 'bytes', 'evidence'].includes(name.toLowerCase());
      if (same || evidence) out.push(...[].concat(messages));
    }
    return out;
  }

  function requireText(form, field, key) {
    const value = draft(key).trim();
    if (!value) {
      fieldError(form, field, t('required'));
      renderAll();
      complain(t('checkFields'), [fieldLabel(form, field) + ': ' + t('required')]);
      focusFirstInvalid(form);
      return null;
    }
    return value;
  }

  function doSign() {
    send('sign', 'sign', undefined, 'signDone');
  }

  function doContact() {
    const note = requireText('contact', 'note', 'contact.note');
    if (note !== null) send('contact', 'contact', { note }, 'contactDone');
  }

  function doReturn() {
    const reason = requireText('return', 'reason', 'return.reason');
    if (reason !== null) send('return', 'return', { reason }, 'returnDone');
  }

  function doTermination() {
    const reason = requireText('termination', 'reason', 'termination.reason');
    if (reason !== null) send('termination', 'termination', { reason }, 'terminationDone');
  }

  // Long-running matters and legal procedures (Guangzhou): the organizer's side.
  function doPlan() {
    const plan = requireText('plan', 'plan', 'plan.plan');
    if (plan !== null) send('plan', 'solution-plan', { plan }, 'planDone');
  }

  function doFeedback() {
    const text = requireText('feedback', 'text', 'feedback.text');
    if (text !== null) send('feedback', 'staged-feedback', { text }, 'feedbackDone');
  }

  function doLegal() {
    const note = requireText('legal', 'note', 'legal.note');
    if (note !== null) send('legal', 'legal-procedure', { kind: draft('legal.kind') || 'litigation', note }, 'legalDone');
  }

  function doLegalEnd() {
    const note = requireText('legalEnd', 'note', 'legalEnd.note');
    if (note !== null) send('legalEnd', 'legal-procedure-end', { note }, 'legalEndDone');
  }

  const LEGAL_KINDS = ['litigation', 'arbitration', 'administrativeReconsideration', 'administrativeEnforcement', 'other'];

  function longTermCards(v) {
    const lt = v.longTerm;
    if (!lt) return [];
    const st = lt.state || {};
    const cards = [];
    const held = st.longRunning && !st.longRunning.endedAt ? 'longRunning'
      : st.legalProcedure && !st.legalProcedure.endedAt ? 'legalProcedure'
      : st.escalation && !st.escalation.concludedAt ? 'escalation' : null;
    if (held) cards.push(h('p', { class: 'card note', id: 'held-note', 'data-held': held, text: t('heldNote', { by: t('held.' + held) }) }));
    const at = (iso) => { const ms = instant(iso); return ms === null ? '' : shortTime(ms); };
    if (lt.solutionPlan) {
      cards.push(card('plan', t('planTitle'),
        h('p', { class: 'hint', text: t('planIntro', { t: at(st.longRunning && st.longRunning.planBy) }) }),
        form('plan', doPlan, field('plan', 'plan', 'plan.plan', t('planText'), { maxlength: 4000 }), submitButton(t('planButton')))));
    }
    if (lt.stagedFeedback) {
      cards.push(card('feedback', t('feedbackTitle'),
        h('p', { class: 'hint', text: t('feedbackIntro', { t: at(st.longRunning && st.longRunning.nextFeedbackBy) }) }),
        form('feedback', doFeedback, field('feedback', 'text', 'feedback.text', t('feedbackText'), { maxlength: 4000 }), submitButton(t('feedbackButton')))));
    }
    if (lt.legalProcedureEnd) {
      cards.push(card('legalEnd', t('legalEndTitle'),
        form('legalEnd', doLegalEnd, field('legalEnd', 'note', 'legalEnd.note', t('legalEndNote'), {}), submitButton(t('legalEndButton')))));
    } else if (lt.legalProcedure) {
      const kind = draft('legal.kind') || 'litigation';
      const select = h('select', { id: 'f-legal-kind', name: 'kind', onchange: (e) => { state.drafts['legal.kind'] = e.target.value; } },
        ...LEGAL_KINDS.map((k) => h('option', { value: k, selected: k === kind }, t('legalKind.' + k))));
      cards.push(card('legal', t('legalTitle'),
        h('p', { class: 'hint', text: t('legalIntro') }),
        form('legal', doLegal,
          h('div', { class: 'field' }, h('label', { for: 'f-legal-kind', text: t('legalKind') }), select),
          field('legal', 'note', 'legal.note', t('legalNote'), {}),
          submitButton(t('legalButton')))));
    }
    return cards;
  }

  function doExtension() {
    const max = maxExtensionDays();
    const days = Number(draft('extension.workingDays'));
    if (!Number.isInteger(days) || days < 1 || (max && days > max)) {
      fieldError('extension', 'workingDays', t('wholeDays', { max: max || 99 }));
      renderAll();
      complain(t('checkFields'), [t('extensionDays') + ': ' + t('wholeDays', { max: max || 99 })]);
      focusFirstInvalid('extension');
      return;
    }
    const reason = requireText('extension', 'reason', 'extension.reason');
    if (reason !== null) send('extension', 'extension', { workingDays: days, reason }, 'extensionDone');
  }

  // ---------- knowledge proposals (Weifang 9(2), 31; Fujian 11(3)) ----------

  async function loadKnowledge() {
    try {
      state.knowledge = await api('GET', '/knowledge-proposals');
    } catch (p) {
      if (p.status === 404) state.invalid = true;
      else complain(p.status === 0 ? t('networkError') : t('serverError', { status: p.status }));
    }
    renderAll();
  }

  function toggleKnowledge(open) {
    if (open === state.knowledgeOpen) return;
    state.knowledgeOpen = open;
    if (open && !state.knowledge) loadKnowledge();
  }

  /** Choosing one of the unit's articles starts the proposal from its current text. */
  function chooseArticle(id) {
    const a = ((state.knowledge && state.knowledge.articles) || []).find((x) => x.id === id);
    state.drafts['knowledge.articleId'] = id;
    state.drafts['knowledge.title'] = a ? a.title : '';
    state.drafts['knowledge.answer'] = a ? a.answer : '';
    renderAll();
  }

  function doKnowledge() {
    const title = requireText('knowledge', 'title', 'knowledge.title');
    if (title === null) return;
    const answer = requireText('knowledge', 'answer', 'knowledge.answer');
    if (answer === null) return;
    const a = ((state.knowledge && state.knowledge.articles) || []).find((x) => x.id === draft('knowledge.articleId'));
    // An update keeps the article's questions, keywords and category; a new article is filed under this matter's category.
    const body = a
      ? { articleId: a.id, version: a.version, title, questions: a.questions, keywords: a.keywords, answer, answerEn: a.answerEn, category: a.category }
      : { title, answer, category: state.view.category };
    run('knowledge', 'knowledgeDone', async () => {
      await api('POST', '/knowledge-proposals', body);
      state.knowledge = await api('GET', '/knowledge-proposals');
      return state.view;
    });
  }

  function knowledgeCard() {
    const k = state.knowledge;
    const chosen = draft('knowledge.articleId');
    const content = !k ? [h('p', { class: 'hint', text: t('loading') })] : [
      form('knowledge', doKnowledge,
        h('div', { class: 'field' },
          h('label', { for: 'f-knowledge-articleId', text: t('knowledgeArticle') }),
          h('select', { id: 'f-knowledge-articleId', name: 'articleId', onchange: (e) => chooseArticle(e.target.value) },
            h('option', { value: '', text: t('knowledgeNew') }),
            (k.articles || []).map((a) => h('option', { value: a.id, selected: a.id === chosen, text: t('knowledgeUpdate', { title: a.title, v: a.version }) })))),
        field('knowledge', 'title', 'knowledge.title', t('knowledgeTitleField'), { rows: 1, maxlength: 200 }),
        field('knowledge', 'answer', 'knowledge.answer', t('knowledgeAnswer'), { rows: 5, maxlength: 4000 }),
        submitButton(t('knowledgeButton'))),
      (k.proposals || []).length ? h('div', null,
        h('h3', { text: t('knowledgeMine') }),
        h('ul', { class: 'proposals', id: 'proposals' }, k.proposals.map((p) => h('li', { 'data-proposal': p.id, 'data-status': p.status },
          h('span', { text: p.draft.title + ' ' }), badge(t('proposal.' + p.status), 'verdict ' + p.status),
          p.reason ? h('p', { class: 'hint', text: t('proposalReason', { r: p.reason }) }) : null)))) : null,
    ];
    return h('details', { class: 'card', id: 'knowledge', open: state.knowledgeOpen, ontoggle: (e) => toggleKnowledge(e.target.open) },
      h('summary', { text: t('knowledgeTitle') }),
      h('p', { class: 'hint', text: t('knowledgeIntro') }),
      ...content);
  }

  /** The reply's kind: solved unless the unit chose "explained" while the server still takes it. */
  function replyKind() {
    const chosen = state.drafts['reply.kind'];
    return chosen === 'explainedNotSolvable' && state.view && (state.view.actions || {}).replyExplained ? chosen : 'solved';
  }

  function doPart() {
    const text = requireText('part', 'text', 'part.text');
    if (text !== null) send('part', 'part', { text }, 'partDone');
  }

  function doReply() {
    const text = requireText('reply', 'text', 'reply.text');
    if (text === null) return;
    const files = state.files.slice();
    run('reply', 'replyDone', async () => {
      let i = 0;
      for (const entry of files) {
        i += 1;
        if (entry.blob) continue; // uploaded by an earlier attempt
        $('notice').replaceChildren(h('p', { class: 'msg' }, t('uploadingFile', { i, n: files.length, name: entry.file.name })));
        entry.status = 'uploading';
        entry.progress = 0;
        updateFileRow(entry);
        let grant;
        try {
          grant = await api('POST', '/evidence', { fileName: entry.file.name, contentType: entry.type, bytes: entry.file.size });
        } catch (p) {
          entry.status = 'failed';
          throw p;
        }
        await upload(grant, entry, (p) => {
          entry.progress = p;
          updateFileRow(entry);
        });
        entry.blob = grant.blob;
        entry.status = 'uploaded';
        entry.progress = 1;
        updateFileRow(entry);
      }
      const view = await api('POST', '/reply', { text, evidence: files.map((f) => f.blob), kind: replyKind() });
      for (const f of files) if (f.url) URL.revokeObjectURL(f.url);
      state.files = [];
      return view;
    });
  }

  // ---------- evidence ----------

  function limits() {
    const l = (state.view && state.view.evidenceLimits) || {};
    return {
      contentTypes: Array.isArray(l.contentTypes) && l.contentTypes.length ? l.contentTypes : DEFAULT_LIMITS.contentTypes,
      maxPhotoBytes: l.maxPhotoBytes || DEFAULT_LIMITS.maxPhotoBytes,
      maxVideoBytes: l.maxVideoBytes || DEFAULT_LIMITS.maxVideoBytes,
      maxFiles: l.maxFiles || DEFAULT_LIMITS.maxFiles,
    };
  }

  function fileType(file) {
    if (file.type) return file.type.toLowerCase();
    const ext = (file.name.split('.').pop() || '').toLowerCase();
    return EXTENSION_TYPES[ext] || '';
  }

  function typeAllowed(type, l) {
    return !!type && l.contentTypes.some((c) => {
      const allowed = String(c).toLowerCase();
      return allowed === type || (allowed.endsWith('/*') && type.startsWith(allowed.slice(0, -1)));
    });
  }

  const maxBytesFor = (type, l) => (type.startsWith('video/') ? l.maxVideoBytes : l.maxPhotoBytes);

  function addFiles(input) {
    if (state.busy) {
      input.value = '';
      return;
    }
    const l = limits();
    const problems = [];
    for (const file of Array.from(input.files || [])) {
      const type = fileType(file);
      if (!typeAllowed(type, l)) {
        problems.push(t('fileWrongType', { name: file.name }));
      } else if (file.size <= 0 || file.size > maxBytesFor(type, l)) {
        problems.push(t('fileTooBig', { name: file.name, max: size(maxBytesFor(type, l)) }));
      } else if (state.files.length >= l.maxFiles) {
        problems.push(t('tooManyFiles', { n: l.maxFiles }));
        break;
      } else {
        state.files.push({
          id: nextFileId++, file, type, status: 'ready', progress: 0, blob: null,
          url: type.startsWith('image/') ? URL.createObjectURL(file) : null,
        });
      }
    }
    input.value = '';
    renderAll();
    if (problems.length) complain(problems[0], problems.slice(1));
    else clearMessages();
    const picker = $(input.id);
    if (picker) picker.focus();
  }

  function removeFile(entry) {
    if (state.busy) return;
    state.files = state.files.filter((f) => f !== entry);
    if (entry.url) URL.revokeObjectURL(entry.url);
    renderAll();
    const next = document.querySelector('#file-list button') || $('pick-gallery');
    if (next) next.focus();
  }

  function fileStatusText(entry) {
    switch (entry.status) {
      case 'uploading': return t('fileUploading', { p: Math.round((entry.progress || 0) * 100) });
      case 'uploaded': return t('fileUploaded');
      case 'failed': return t('fileFailed');
      default: return t('fileReady');
    }
  }

  function fileRow(entry) {
    const thumb = entry.url
      ? h('img', { class: 'thumb', src: entry.url, alt: '' })
      : h('span', { class: 'thumb video', 'aria-hidden': 'true' }, '▶');
    return h('li', { class: 'file ' + entry.status, 'data-file': entry.id },
      thumb,
      h('div', { class: 'file-info' },
        h('span', { class: 'file-name', text: entry.file.name }),
        h('span', { class: 'file-meta' }, h('span', { text: size(entry.file.size) }), ' · ', h('span', { class: 'file-status', text: fileStatusText(entry) })),
        h('progress', { max: '100', value: String(Math.round((entry.progress || 0) * 100)), 'aria-label': entry.file.name })),
      h('button', {
        type: 'button', class: 'secondary small', 'aria-label': t('removeFileLabel', { name: entry.file.name }),
        onclick: () => removeFile(entry),
      }, t('removeFile')));
  }

  function updateFileRow(entry) {
    const row = document.querySelector('[data-file="' + entry.id + '"]');
    if (!row) return;
    row.className = 'file ' + entry.status;
    row.querySelector('.file-status').textContent = fileStatusText(entry);
    row.querySelector('progress').value = Math.round((entry.progress || 0) * 100);
  }

  // ---------- rendering ----------

  function renderAll() {
    if (state.invalid) {
      renderInvalid();
      return;
    }
    const html = document.documentElement;
    html.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('appTitle');
    for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    const lang = $('lang');
    lang.hidden = false;
    lang.textContent = t('langButton');
    lang.setAttribute('lang', state.lang === 'zh' ? 'en' : 'zh-CN');
    lang.setAttribute('aria-label', t('langButtonLabel'));

    const main = $('main');
    const focused = document.activeElement && document.activeElement.id;
    if (state.loadError) {
      const p = state.loadError;
      main.replaceChildren(h('section', { class: 'card' },
        h('p', { text: p.status === 0 ? t('networkError') : t('serverError', { status: p.status }) }),
        h('button', { type: 'button', class: 'primary', onclick: () => { state.loadError = null; load(); } }, t('retry'))));
      main.setAttribute('aria-busy', 'false');
      return;
    }
    const v = state.view;
    if (!v) return;
    const actions = v.actions || {};
    main.replaceChildren(...[
      summary(v),
      deadlines(v),
      actions.sign ? signCard() : null,
      details(v),
      ...actionCards(v),
      knowledgeCard(),
      replies(v),
      timeline(v),
      footer(v),
    ].filter(Boolean));
    main.setAttribute('aria-busy', 'false');
    if (focused) {
      const again = $(focused);
      if (again && again !== document.activeElement) again.focus({ preventScroll: true });
    }
    state.pastCutoff = cutoffPassed(v);
    tick();
  }

  /** The same words as link-invalid.html, and nothing else: no matter, no controls. */
  function renderInvalid() {
    const main = $('main');
    for (const el of document.querySelectorAll('body > :not(main)')) el.remove();
    document.documentElement.lang = 'zh-CN';
    document.title = STRINGS.zh.invalidTitle + ' · ' + STRINGS.en.invalidTitle;
    main.className = 'invalid';
    main.replaceChildren(
      h('section', { lang: 'zh-CN' }, h('h1', { text: STRINGS.zh.invalidTitle }), h('p', { text: STRINGS.zh.invalidBody })),
      h('section', { lang: 'en' }, h('h1', { text: STRINGS.en.invalidTitle }), h('p', { text: STRINGS.en.invalidBody })));
    main.setAttribute('aria-busy', 'false');
    for (const f of state.files) if (f.url) URL.revokeObjectURL(f.url);
    state.files = [];
  }

  function badge(text, kind) {
    return h('span', { class: 'badge ' + kind, text });
  }

  function summary(v) {
    return h('section', { class: 'card summary', 'aria-labelledby': 'matter-title' },
      h('div', { class: 'badges' },
        badge(word('status', v.status), 'status status-' + v.status),
        v.urgency === 'urgent' ? badge(t('urgent'), 'urgent') : null,
        v.supervised ? badge(t('supervised'), 'supervised') : null),
      h('h2', { id: 'matter-title', class: 'title', text: v.title || '' }),
      h('p', { class: 'muted', text: t('matterNo', { id: v.id }) }),
      h('dl', { class: 'facts inline' },
        h('dt', { text: t('fieldType') }), h('dd', { text: word('type', v.type) }),
        h('dt', { text: t('fieldCategory') }), h('dd', { text: word('category', v.category) })));
  }

  const DEADLINES = [
    // key, obligation (red when missed) or window (just closes), done when…
    ['signBy', true, (v) => v.status !== 'awaitingSignOff'],
    ['contactBy', true, (v) => (v.timeline || []).some((e) => e.event === 'citizenContacted')],
    ['returnBy', false, () => false],
    ['extensionCutoff', false, () => false],
    ['dueBy', true, (v) => ['replyUnderReview', 'awaitingEvaluation', 'closed', 'terminated'].includes(v.status)],
  ];

  function deadlines(v) {
    const d = v.deadlines || {};
    const rows = [];
    for (const [key, obligation, isDone] of DEADLINES) {
      const at = instant(d[key]);
      if (at === null) continue;
      rows.push(h('li', {
        class: 'deadline', id: 'deadline-' + key, 'data-at': String(at), 'data-obligation': obligation ? '1' : '0', 'data-done': isDone(v) ? '1' : '0',
      },
        h('span', { class: 'dl-label', text: t('deadline.' + key) }),
        h('span', { class: 'dl-abs' }, h('time', { datetime: d[key], text: t('deadlineAt', { t: shortTime(at) }) })),
        h('span', { class: 'dl-count' })));
    }
    if (!rows.length) return null;
    return card('deadlines', t('sectionDeadlines'), h('ul', { class: 'deadlines' }, rows));
  }

  /** Once a second: the countdowns, against the server's clock. */
  function tick() {
    if (state.invalid) return;
    const now = serverNow();
    for (const row of document.querySelectorAll('.deadline')) {
      const at = Number(row.dataset.at);
      const left = at - now;
      const count = row.querySelector('.dl-count');
      let text;
      let cls;
      if (row.dataset.done === '1') {
        text = t('done');
        cls = 'done';
      } else if (left > 0) {
        text = t('left', { d: duration(left) });
        cls = left < SOON_MS ? 'soon' : 'ok';
      } else if (row.dataset.obligation === '1') {
        text = t('overdue', { d: duration(left) });
        cls = 'overdue';
      } else {
        text = t('windowClosed');
        cls = 'closed';
      }
      if (count.textContent !== text) count.textContent = text;
      const className = 'deadline ' + cls;
      if (row.className !== className) row.className = className;
    }
    if (state.view && !state.busy && cutoffPassed(state.view) !== state.pastCutoff) renderAll();
  }

  function cutoffPassed(v) {
    const cutoff = instant(v.deadlines && v.deadlines.extensionCutoff);
    return cutoff !== null && serverNow() >= cutoff;
  }

  function details(v) {
    const loc = v.location || {};
    const citizen = v.citizen || {};
    const district = loc.district ? word('district', loc.district) : '';
    const address = [loc.address, district && !(loc.address || '').includes(district) ? '（' + district + '）' : ''].join('');
    const phone = citizen.phone || '';
    const masked = citizen.confidential || phone.includes('*');
    const dial = phone.replace(/[^\d+]/g, '');
    const facts = [
      h('dt', { text: t('fieldAddress') }), h('dd', { text: address || '—' }),
      h('dt', { text: t('fieldCitizen') }), h('dd', null, citizen.name || '—', citizen.confidential ? [' ', badge(t('confidential'), 'confidential')] : null),
      h('dt', { text: t('fieldPhone') }),
      h('dd', null, !masked && dial
        ? h('a', { class: 'call', href: 'tel:' + dial, 'aria-label': t('callLabel', { phone }) }, h('span', { 'aria-hidden': 'true' }, '☎'), h('span', { text: phone }))
        : h('span', { text: phone || '—' }),
      masked ? h('p', { class: 'hint', text: t('confidentialNote') }) : null),
      h('dt', { text: t('fieldReceived') }), h('dd', null, timeEl(v.receivedAt)),
      h('dt', { text: t('fieldOrganizer') }), h('dd', { text: organizerName(v) }),
    ];
    if (v.coOrganizers && v.coOrganizers.length) facts.push(h('dt', { text: t('fieldCoOrganizers') }), h('dd', { text: v.coOrganizers.join('、') }));
    return card('details', t('sectionDetails'), h('p', { class: 'description', text: v.description || '' }), h('dl', { class: 'facts' }, facts));
  }

  function organizerName(v) {
    const name = v.organizerName;
    if (name && typeof name === 'object') return name[state.lang] || name.zh || name.en || v.organizer || '';
    return name || v.organizer || '';
  }

  function timeEl(iso) {
    const ms = instant(iso);
    return ms === null ? '—' : h('time', { datetime: iso, text: shortTime(ms) });
  }

  function field(form, name, key, label, opts) {
    const id = 'f-' + form + '-' + name;
    const errors = errorsFor(form, name);
    const hintId = opts.hint ? id + '-hint' : null;
    const errId = errors.length ? id + '-err' : null;
    const common = {
      id, name, 'aria-describedby': [hintId, errId].filter(Boolean).join(' ') || null, 'aria-invalid': errors.length ? 'true' : null,
      'aria-required': 'true', value: draft(key), oninput: (e) => { state.drafts[key] = e.target.value; },
    };
    const control = opts.type === 'number'
      ? h('input', Object.assign(common, { type: 'number', inputmode: 'numeric', min: '1', max: opts.max || null, step: '1', class: 'short' }))
      : h('textarea', Object.assign(common, { rows: opts.rows || 3, maxlength: opts.maxlength || 2000 }));
    return h('div', { class: 'field' + (errors.length ? ' invalid' : '') },
      h('label', { for: id, text: label }),
      hintId ? h('p', { class: 'hint', id: hintId, text: opts.hint }) : null,
      control,
      errId ? h('p', { class: 'field-error', id: errId }, errors.join(' ')) : null);
  }

  function form(name, onSubmit, ...content) {
    return h('form', {
      id: 'form-' + name, novalidate: true, onsubmit: (e) => {
        e.preventDefault();
        if (!state.busy) onSubmit();
      },
    }, ...content);
  }

  const submitButton = (label, extra) => h('button', Object.assign({ type: 'submit', class: 'primary' }, extra || {}), label);

  function signCard() {
    return card('sign', t('signTitle'),
      h('p', { text: t('signIntro') }),
      form('sign', doSign, submitButton(t('signButton'), { class: 'primary big', id: 'sign-button' })));
  }

  function actionCards(v) {
    const a = v.actions || {};
    if (v.role === 'coOrganizer') return [partCard(v)];
    const cards = [];
    const statusNote = {
      returnRequested: 'returnPending',
      replyUnderReview: 'replyPending',
      awaitingEvaluation: 'evaluationPending',
    }[v.status];
    if (statusNote) cards.push(h('p', { class: 'card note', text: t(statusNote) }));
    if (a.contact) {
      cards.push(card('contact', t('contactTitle'),
        form('contact', doContact,
          field('contact', 'note', 'contact.note', t('contactNote'), { hint: t('contactHint') }),
          submitButton(t('contactButton')))));
    }
    if (a.reply) cards.push(replyCard(v));
    const extension = extensionCard(v);
    if (extension) cards.push(extension);
    if (a.return) {
      const returnBy = instant(v.deadlines && v.deadlines.returnBy);
      cards.push(card('return', t('returnTitle'),
        returnBy !== null ? h('p', { class: 'window', text: t('returnWindow', { t: shortTime(returnBy) }) }) : null,
        h('p', { class: 'hint', text: t('returnIntro') }),
        form('return', doReturn,
          field('return', 'reason', 'return.reason', t('returnReason'), {}),
          submitButton(t('returnButton'), { class: 'primary' }))));
    }
    if (v.pendingTermination) {
      cards.push(h('p', { class: 'card note', text: t('terminationPending') }));
    } else if (a.termination) {
      cards.push(card('termination', t('terminationTitle'),
        h('p', { class: 'hint', text: t('terminationIntro') }),
        form('termination', doTermination,
          field('termination', 'reason', 'termination.reason', t('terminationReason'), {}),
          submitButton(t('terminationButton'), { class: 'primary danger' }))));
    }
    cards.push(...longTermCards(v));
    if (!cards.length && !a.sign) cards.push(h('p', { class: 'card note', text: t('nothingToDo') }));
    const parts = partsCard(v);
    if (parts) cards.push(parts);
    return cards;
  }

  /** A co-organizer's own part: the form while it may give it, what it gave once it did (Fujian 16; Weifang 22). */
  function partCard(v) {
    const a = v.actions || {};
    const own = (v.parts || [])[0];
    const due = own ? instant(own.partBy) : null;
    const given = own && own.submittedAt
      ? h('div', { id: 'part-given' }, h('p', { class: 'hint' }, t('partSubmitted', { t: shortTime(instant(own.submittedAt)) }), ' ', partBadge(own)),
        h('p', { class: 'reply-text', text: own.text || '' }))
      : null;
    return card('part', t('partTitle'),
      h('p', { class: 'hint', text: t('partIntro', { lead: organizerName(v) }) }),
      due !== null ? h('p', { class: 'window', id: 'part-due' }, t('partDue', { t: shortTime(due) }), ' ', own.overdue ? partBadge(own) : null) : null,
      given,
      a.part
        ? form('part', doPart,
          field('part', 'text', 'part.text', t('partText'), { hint: t('partHint'), rows: 5, maxlength: 4000 }),
          submitButton(t('partButton')))
        : (given ? null : h('p', { class: 'note', text: t('nothingToDo') })));
  }

  function partBadge(p) {
    const [key, kind] = p.overdue ? ['partOverdue', 'overdue'] : p.late ? ['partLate', 'late'] : p.submittedAt ? ['partOnTime', 'accepted'] : ['partPending', 'reviewing'];
    return badge(t(key), 'verdict ' + kind);
  }

  /** The lead's view of its co-organizers' parts. */
  function partsCard(v) {
    if (!v.parts || !v.parts.length) return null;
    const items = v.parts.map((p) => h('li', { class: 'reply', 'data-organizer': p.organizer },
      h('div', { class: 'reply-head' },
        h('strong', { text: (p.organizerName && (state.lang === 'zh' ? p.organizerName.zh : p.organizerName.en)) || p.organizer }),
        partBadge(p)),
      h('p', { class: 'hint', text: t('partDue', { t: shortTime(instant(p.partBy)) }) }),
      p.text ? h('p', { class: 'reply-text', text: p.text }) : null));
    return card('parts', t('partsTitle'), h('ol', { class: 'replies' }, items));
  }

  function maxExtensionDays() {
    const max = state.view && state.view.extension && state.view.extension.maxWorkingDays;
    return max && max > 0 && max < 1000 ? max : null;
  }

  function extensionCard(v) {
    const a = v.actions || {};
    const ext = v.extension || {};
    const cutoff = instant(v.deadlines && v.deadlines.extensionCutoff);
    const handling = v.status === 'handling';
    if (!a.extension && !(handling && (cutoff !== null || ext.pending))) return null;
    const past = cutoff !== null && serverNow() >= cutoff;
    let closedWhy = null;
    if (ext.pending) closedWhy = t('extensionPending');
    else if (past) closedWhy = t('extensionClosed');
    else if (ext.remaining === 0) closedWhy = t('extensionUsedUp');
    else if (!a.extension) closedWhy = t('extensionNotNow');
    const max = maxExtensionDays();
    const info = [];
    if (max) info.push(t('extensionDaysHint', { n: max }));
    if (typeof ext.remaining === 'number' && ext.remaining < 100) info.push(t('extensionRemaining', { n: ext.remaining }));
    const fieldset = h('fieldset', { disabled: closedWhy !== null },
      h('legend', { class: 'visually-hidden', text: t('extensionTitle') }),
      field('extension', 'workingDays', 'extension.workingDays', t('extensionDays'), { type: 'number', max, hint: info.join('；') || null }),
      field('extension', 'reason', 'extension.reason', t('extensionReason'), {}),
      submitButton(t('extensionButton')));
    return card('extension', t('extensionTitle'),
      cutoff !== null ? h('p', { class: 'window' + (past ? ' closed' : ''), text: t('extensionCutoff', { t: shortTime(cutoff) }) }) : null,
      closedWhy ? h('p', { class: 'note', id: 'extension-closed', text: closedWhy }) : null,
      form('extension', doExtension, fieldset));
  }

  function replyCard(v) {
    const l = limits();
    const accept = 'image/*,video/*';
    const errors = errorsFor('reply', 'evidence');
    const pickers = h('div', { class: 'pickers' },
      h('label', { class: 'button secondary', for: 'pick-camera' }, t('takePhoto')),
      h('input', { type: 'file', id: 'pick-camera', class: 'file-input', accept, capture: 'environment', onchange: (e) => addFiles(e.target) }),
      h('label', { class: 'button secondary', for: 'pick-gallery' }, t('choosePhoto')),
      h('input', { type: 'file', id: 'pick-gallery', class: 'file-input', accept, multiple: true, onchange: (e) => addFiles(e.target) }));
    const kind = replyKind();
    const kindChoice = h('fieldset', { class: 'field kinds', id: 'reply-kind' },
      h('legend', { text: t('replyKind') }),
      h('p', { class: 'hint', id: 'reply-kind-hint', text: t('replyKindHint') }),
      ...['solved', 'explainedNotSolvable'].map((k) => h('label', { class: 'choice' },
        h('input', {
          type: 'radio', name: 'kind', value: k, id: 'reply-kind-' + k, checked: kind === k,
          disabled: k === 'explainedNotSolvable' && !(v.actions || {}).replyExplained,
          'aria-describedby': 'reply-kind-hint', onchange: () => { state.drafts['reply.kind'] = k; },
        }),
        ' ', t('replyKind.' + k))));
    return card('reply', t('replyTitle'),
      form('reply', doReply,
        kindChoice,
        field('reply', 'text', 'reply.text', t('replyText'), { hint: t('replyHint'), rows: 5, maxlength: 4000 }),
        h('div', { class: 'field' + (errors.length ? ' invalid' : ''), role: 'group', 'aria-labelledby': 'evidence-label', 'aria-describedby': 'evidence-hint' },
          h('p', { class: 'label', id: 'evidence-label', text: t('replyEvidence') }),
          h('p', { class: 'hint', id: 'evidence-hint', text: t('evidenceHint', { n: l.maxFiles, p: size(l.maxPhotoBytes), v: size(l.maxVideoBytes) }) }),
          pickers,
          state.files.length ? h('ul', { class: 'files', id: 'file-list' }, state.files.map(fileRow)) : null,
          errors.length ? h('p', { class: 'field-error', text: errors.join(' ') }) : null),
        submitButton(t('replyButton'))));
  }

  function replies(v) {
    if (!v.replies || !v.replies.length) return null;
    const items = v.replies.slice().reverse().map((r) => {
      const verdict = r.accepted === true ? ['replyAccepted', 'accepted'] : r.accepted === false ? ['replySentBack', 'sent-back'] : ['replyReviewing', 'reviewing'];
      return h('li', { class: 'reply' },
        h('div', { class: 'reply-head' }, timeEl(r.at), badge(t(verdict[0]), 'verdict ' + verdict[1])),
        h('p', { class: 'reply-text', text: r.text || '' }),
        r.evidence && r.evidence.length ? h('ul', { class: 'evidence' }, r.evidence.map((e) => h('li', {
          text: t('evidenceItem', { kind: String(e.contentType || '').startsWith('video/') ? t('video') : t('photo'), size: size(e.bytes) }),
        }))) : null,
        r.note ? h('p', { class: 'hint', text: t('replyNote', { note: r.note }) }) : null);
    });
    return card('replies', t('sectionReplies'), h('ol', { class: 'replies' }, items));
  }

  function timeline(v) {
    if (!v.timeline || !v.timeline.length) return null;
    const items = v.timeline.slice().reverse().map((e) => h('li', null, timeEl(e.at), h('span', { text: word('event', e.event) })));
    return card('timeline', t('sectionTimeline'), h('ol', { class: 'timeline' }, items));
  }

  function footer(v) {
    const now = instant(v.now);
    return h('footer', { class: 'foot' },
      h('span', { class: 'muted', text: now === null ? '' : t('updatedAt', { t: clockTime(now) }) }),
      h('button', { type: 'button', class: 'secondary', id: 'refresh', onclick: () => { clearMessages(); refresh(); } }, t('refresh')));
  }

  // ---------- start ----------

  function start() {
    state.lang = initialLang();
    state.token = tokenFromPath();
    $('lang').addEventListener('click', switchLang);
    renderAll();
    load();
    setInterval(tick, 1000);
    document.addEventListener('visibilitychange', () => {
      // Back from the phone app or another tab: the matter may have moved on.
      if (document.visibilityState === 'visible' && state.view && !state.busy && !state.invalid && Date.now() - state.loadedAt > 30000) refresh();
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
