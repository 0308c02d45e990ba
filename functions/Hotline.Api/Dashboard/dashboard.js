/*
 * 12345 supervisors' dashboard (/dashboard): the supervision list, the organizer assessment table with its rates,
 * and charts of the period's matters. Plain ES2020, no build step, no third-party code, no network beyond this
 * server: the charts are inline SVG drawn below. Every visible string is in STRINGS.
 * The staff key is asked for once per tab (sessionStorage) and sent as x-functions-key; the page shows what the
 * staff APIs return and computes nothing that they do not (sums of their counts at most).
 * The helpers both staff pages use (strings, CST times, DOM, the API with the key) are in staff.js, loaded first.
 */
(() => {
  'use strict';

  const STRINGS = {
    zh: {
      ...window.HotlineStaff.LONG_TERM_STRINGS.zh,
      appTitle: '12345 督办考核看板',
      skip: '跳到主要内容',
      langButton: 'English',
      langLabel: 'Switch to English',
      signOut: '退出',
      keyTitle: '请输入工作人员密钥',
      keyHelp: '密钥仅保存在本浏览器标签页中，关闭标签页即失效。',
      keyLabel: '工作人员密钥',
      keySubmit: '进入看板',
      keyRequired: '请输入密钥。',
      keyRejected: '密钥无效或无权访问，请重新输入。',
      periodTitle: '统计期间',
      from: '起始日期',
      to: '截止日期',
      apply: '查询',
      last30: '近30天',
      periodInvalid: '起始日期不能晚于截止日期。',
      periodShown: '统计期间 {from} 至 {to}',
      previousShown: '上一期 {from} 至 {to}',
      kpiLabel: '概况',
      queuesTitle: '工作台待办',
      toWorkbench: '打开平台工作台',
      'queue.dispatch': '待派单',
      'queue.return': '退回申请',
      'queue.extension': '延期申请',
      'queue.reply': '答复审核',
      'queue.termination': '终止申请',
      'queue.verification': '不满意核实',
      'queue.knowledge': '知识库提案',
      kpiReceived: '受理工单',
      kpiPrevious: '上一期 {n}',
      kpiCompleted: '办结',
      kpiOnTime: '按时办结 {n}',
      kpiEvaluated: '已评价',
      kpiSatisfied: '满意 {n}',
      kpiSupervised: '督办中',
      kpiSupervisedMore: '{n}+',
      kpiSupervisedNote: '当前督办清单（按筛选条件）',
      supTitle: '督办清单',
      ltTitle: '长期推进、法定程序与提级办理',
      ltEmpty: '目前没有长期推进、法定程序中或提级办理的工单。',
      colKind: '类型',
      colOwner: '负责方',
      colStage: '阶段',
      colLongTermDue: '时限',
      ltOverdue: '已逾期',
      calTitle: '法定节假日安排',
      calCovered: '已有安排的年份',
      calShipped: '{year} 年（随系统发布）',
      calInstalled: '{year} 年（{at} 由 {by} 安装{override}）',
      calOverride: '，替换随系统发布的安排',
      calMissing: '缺少 {years} 年法定节假日安排：跨入该年的时限暂按普通工作周计算。平台运维人员通过 PUT /api/calendars/{year} 安装后，在办工单的时限将自动重新计算。',
      calComplete: '当前及临近年份的安排齐全。',
      orgTitle: '承办单位考核',
      ratesTitle: '按时办结率与满意率',
      weeksTitle: '每周工单量（按类别）',
      districtsTitle: '区域热力表',
      catTitle: '类别统计（与上一期比较）',
      repTitle: '重复诉求',
      csv: '下载 CSV',
      csvDone: '已下载 {file}',
      showData: '查看数据表',
      filter: '筛选',
      all: '全部',
      pageSize: '每页',
      pagerLabel: '分页',
      prevPage: '上一页',
      nextPage: '下一页',
      pageN: '第 {n} 页',
      loading: '正在加载…',
      empty: '本期无数据。',
      supEmpty: '没有符合条件的督办工单。',
      loadFailed: '无法加载（{status}）：{detail}',
      networkError: '网络异常，请检查网络后重试。',
      colMatter: '工单编号',
      colTitle: '标题',
      colOrganizer: '承办单位',
      colDistrict: '区域',
      colReasons: '督办原因',
      colSince: '督办开始',
      colStatus: '状态',
      colDueBy: '办理时限',
      colNext: '下一时限',
      colActions: '操作',
      remind: '催办',
      lift: '解除督办',
      remindTitle: '催办承办单位',
      liftTitle: '解除督办',
      remindLabel: '催办说明（将短信通知承办单位）',
      liftLabel: '解除理由',
      remindSubmit: '发送催办',
      liftSubmit: '确认解除',
      cancel: '取消',
      textRequired: '请填写此项。',
      reminded: '已催办 {id}。',
      lifted: '已解除 {id} 的督办。',
      actionFailed: '操作未成功（{status}）：{detail}',
      reasonSince: '{reason}，{t} 起',
      colRank: '排名',
      colReceived: '受理',
      colReturned: '退回',
      colReturnsApproved: '批准退回',
      colCompleted: '办结',
      colExtended: '延期',
      colTerminated: '终止',
      colEvaluated: '评价',
      colSupervised: '督办',
      colHandledAgain: '重办',
      colHoursToSign: '签收用时（小时）',
      colHoursToComplete: '办结用时（小时）',
      colScore: '综合得分',
      groupCounts: '工单数',
      groupRates: '考核比率',
      groupHours: '用时（中位 / P90）',
      groupOutcomes: '答复结果与协办',
      colSolved: '已解决',
      colExplainedNotSolvable: '已解释、暂不能解决',
      colCoOrganizingMissing: '协办部分未提交（消极应付）',
      'rate.response': '签收及时率',
      'rate.returnApproval': '退回批准率',
      'rate.contact': '联系及时率',
      'rate.onTime': '按时办结率',
      'rate.satisfaction': '满意率',
      'rate.rehandling': '重办率',
      'head.rate.response': '签收及时率',
      'head.rate.returnApproval': '退回批准率',
      'head.rate.contact': '联系及时率',
      'head.rate.onTime': '按时办结率',
      'head.rate.satisfaction': '满意率',
      'head.rate.rehandling': '重办率',
      tooFew: '样本不足',
      tooFewTitle: '样本少于 {min} 件，不计算比率',
      rateOf: 'n={n}',
      rateTitle: '{rate}：{value}（共 {n} 件）',
      orgNote: '比率的样本少于 {min} 件时不计算，显示为“样本不足”，不按 0% 处理。',
      orgNoteWeighted: '综合得分按加权比率计算，排名依综合得分。',
      hours: '{n}',
      none: '—',
      chartRatesTitle: '各承办单位按时办结率与满意率',
      chartRatesDesc: '横向分组条形图，每个承办单位两条：按时办结率和满意率；斜线条表示样本不足。数字见承办单位考核表。',
      chartWeeksTitle: '每周受理工单量，按类别堆叠',
      chartWeeksDesc: '堆叠柱状图，每周一柱，按类别分段；数字见下方数据表。',
      weekOf: '{d} 当周',
      segmentTitle: '{week}，{category}：{n} 件',
      weekTotal: '{week}：共 {n} 件',
      colWeek: '周（起始日）',
      colTotal: '合计',
      other: '其他',
      colCount: '本期',
      colPrevious: '上一期',
      colChange: '变化',
      colCategory: '类别',
      colAddress: '地址',
      colMatters: '工单',
      colReports: '件数',
      newThisPeriod: '新增',
      allOrganizers: '全部承办单位',
      heatLegend: '颜色越深，本期工单越多',
      repEmpty: '本期无重复诉求。',
      'reason.signOffOverdue': '超时未签收',
      'reason.contactOverdue': '超时未联系',
      'reason.handlingOverdue': '超期未办结',
      'reason.refusedWithinDuties': '职责内退回被驳回',
      'reason.unsatisfiedTwice': '两次不满意',
      'reason.sentBackTwice': '两次答复被退回',
      'reason.staffDecision': '平台决定督办',
      'status.awaitingDispatch': '待派单',
      'status.awaitingSignOff': '待签收',
      'status.handling': '办理中',
      'status.returnRequested': '申请退回',
      'status.replyUnderReview': '答复审核中',
      'status.awaitingEvaluation': '待评价',
      'status.rejected': '不予受理',
      'status.answered': '直接答复',
      'status.terminated': '已终止',
      'status.closed': '已办结',
      'status.merged': '已合并',
      'deadline.signBy': '签收',
      'deadline.returnBy': '退回申请',
      'deadline.contactBy': '联系',
      'deadline.dueBy': '办结',
      'deadline.extensionCutoff': '延期申请截止',
      'district.donghu': '东湖区',
      'district.xiling': '西岭区',
      'district.nangang': '南港区',
      'district.beitang': '北塘县',
      'cat.water-supply': '停水与供水',
      'cat.water-pressure': '水压不足',
      'cat.drainage': '排水与内涝',
      'cat.water-quality': '水质问题',
      'cat.power-supply': '供电服务',
      'cat.power-outage': '停电',
      'cat.gas-supply': '燃气供应',
      'cat.gas-leak-followup': '燃气泄漏后续处理',
      'cat.housing': '住房保障',
      'cat.property-management': '物业管理',
      'cat.construction-noise': '施工噪声',
      'cat.elevator': '电梯故障',
      'cat.road-lighting': '路灯故障',
      'cat.street-vending': '占道经营',
      'cat.sanitation': '环境卫生',
      'cat.illegal-construction': '违法建设',
      'cat.consumer-rights': '消费维权',
      'cat.food-safety': '食品安全',
      'cat.price': '价格监管',
      'cat.public-transport': '公共交通',
      'cat.taxi': '出租车',
      'cat.road-damage': '道路破损',
      'cat.pollution': '环境污染',
      'cat.environmental-noise': '社会生活噪声',
      'cat.wage-arrears': '欠薪',
      'cat.social-insurance': '社会保险',
      'cat.employment': '就业服务',
      'cat.school-enrolment': '入学',
      'cat.education-fees': '教育收费',
      'cat.neighbourhood-dispute': '邻里纠纷',
    },
    en: {
      ...window.HotlineStaff.LONG_TERM_STRINGS.en,
      queuesTitle: 'Waiting on the workbench',
      toWorkbench: 'Open the staff workbench',
      'queue.dispatch': 'To dispatch',
      'queue.return': 'Returns',
      'queue.extension': 'Extensions',
      'queue.reply': 'Replies to review',
      'queue.termination': 'Terminations',
      'queue.verification': 'Unsatisfied to verify',
      'queue.knowledge': 'Knowledge proposals',
      appTitle: '12345 Supervision Dashboard',
      skip: 'Skip to main content',
      langButton: '中文',
      langLabel: '切换到中文',
      signOut: 'Sign out',
      keyTitle: 'Enter your staff key',
      keyHelp: 'The key is kept in this browser tab only and forgotten when the tab closes.',
      keyLabel: 'Staff key',
      keySubmit: 'Open dashboard',
      keyRequired: 'Enter the key.',
      keyRejected: 'The key was not accepted. Enter it again.',
      periodTitle: 'Period',
      calTitle: 'Statutory holiday schedules',
      calCovered: 'Years with a schedule',
      calShipped: '{year} (shipped)',
      calInstalled: '{year} (installed {at} by {by}{override})',
      calOverride: ', replacing the shipped one',
      calMissing: 'No statutory holiday schedule for {years}: deadlines reaching into it are computed as ordinary weeks for now. Once platform operations install it with PUT /api/calendars/{year}, open matters are recomputed.',
      calComplete: 'Schedules for this year and the next in reach are in place.',
      from: 'From',
      to: 'To',
      apply: 'Show',
      last30: 'Last 30 days',
      periodInvalid: 'The start date must not be after the end date.',
      periodShown: 'Period {from} to {to}',
      previousShown: 'previous period {from} to {to}',
      kpiLabel: 'Overview',
      kpiReceived: 'Matters received',
      kpiPrevious: 'previous period {n}',
      kpiCompleted: 'Completed',
      kpiOnTime: '{n} on time',
      kpiEvaluated: 'Evaluated',
      kpiSatisfied: '{n} satisfied',
      kpiSupervised: 'Under supervision',
      kpiSupervisedMore: '{n}+',
      kpiSupervisedNote: 'current supervision list (as filtered)',
      supTitle: 'Supervision list',
      ltTitle: 'Long-running matters, legal procedures and escalations',
      ltEmpty: 'No matter is long-running, in a legal procedure or escalated.',
      colKind: 'Kind',
      colOwner: 'Owner',
      colStage: 'Stage',
      colLongTermDue: 'Due by',
      ltOverdue: 'overdue',
      orgTitle: 'Organizer assessment',
      ratesTitle: 'On-time and satisfaction rates',
      weeksTitle: 'Matters per week by category',
      districtsTitle: 'Districts heat table',
      catTitle: 'Categories (against the previous period)',
      repTitle: 'Repeated reports',
      csv: 'Download CSV',
      csvDone: 'Downloaded {file}',
      showData: 'Show the data table',
      filter: 'Filter',
      all: 'All',
      pageSize: 'Per page',
      pagerLabel: 'Pages',
      prevPage: 'Previous',
      nextPage: 'Next',
      pageN: 'Page {n}',
      loading: 'Loading…',
      empty: 'No data for this period.',
      supEmpty: 'No supervised matters match.',
      loadFailed: 'Could not load ({status}): {detail}',
      networkError: 'Network error. Check the connection and try again.',
      colMatter: 'Matter',
      colTitle: 'Title',
      colOrganizer: 'Organizer',
      colDistrict: 'District',
      colReasons: 'Reasons',
      colSince: 'Supervised since',
      colStatus: 'Status',
      colDueBy: 'Due by',
      colNext: 'Next deadline',
      colActions: 'Actions',
      remind: 'Remind',
      lift: 'Lift',
      remindTitle: 'Remind the organizer',
      liftTitle: 'Lift supervision',
      remindLabel: 'Reminder (sent to the organizer by SMS)',
      liftLabel: 'Reason for lifting',
      remindSubmit: 'Send reminder',
      liftSubmit: 'Lift supervision',
      cancel: 'Cancel',
      textRequired: 'Fill this in.',
      reminded: 'Reminder sent for {id}.',
      lifted: 'Supervision of {id} lifted.',
      actionFailed: 'Not done ({status}): {detail}',
      reasonSince: '{reason}, since {t}',
      colRank: 'Rank',
      colReceived: 'Re\u00adceived',
      colReturned: 'Re\u00adturned',
      colReturnsApproved: 'Returns ap\u00adproved',
      colCompleted: 'Com\u00adpleted',
      colExtended: 'Ex\u00adtended',
      colTerminated: 'Ter\u00admi\u00adnated',
      colEvaluated: 'Eval\u00adu\u00adated',
      colSupervised: 'Super\u00advised',
      colHandledAgain: 'Han\u00addled again',
      colHoursToSign: 'Hours to sign',
      colHoursToComplete: 'Hours to com\u00adplete',
      colScore: 'Score',
      groupCounts: 'Matters',
      groupRates: 'Rates',
      groupHours: 'Time taken (median / p90)',
      groupOutcomes: 'Replies and co-organizing',
      colSolved: 'Solved',
      colExplainedNotSolvable: 'Ex\u00adplained, not solv\u00adable now',
      colCoOrganizingMissing: 'Co-or\u00adgan\u00adiz\u00ader parts miss\u00ading',
      'rate.response': 'Signed on time',
      'rate.returnApproval': 'Returns approved',
      'rate.contact': 'Contacted on time',
      'rate.onTime': 'Completed on time',
      'rate.satisfaction': 'Satisfaction',
      'rate.rehandling': 'Handled again',
      // Column heads: soft hyphens let the long words break in the narrow columns.
      'head.rate.response': 'Signed on time',
      'head.rate.returnApproval': 'Returns ap\u00adproved',
      'head.rate.contact': 'Con\u00adtacted on time',
      'head.rate.onTime': 'Com\u00adpleted on time',
      'head.rate.satisfaction': 'Satis\u00adfac\u00adtion',
      'head.rate.rehandling': 'Han\u00addled again',
      tooFew: 'Too few to rate',
      tooFewTitle: 'Fewer than {min} matters: no rate',
      rateOf: 'n={n}',
      rateTitle: '{rate}: {value} (of {n})',
      orgNote: 'A rate over fewer than {min} matters is not computed and shows as “Too few to rate”, never as 0%.',
      orgNoteWeighted: 'The score weighs the rates; the rank follows the score.',
      hours: '{n}',
      none: '—',
      chartRatesTitle: 'On-time and satisfaction rates per organizer',
      chartRatesDesc: 'Grouped horizontal bars, two per organizer: completed on time and satisfaction; hatched bars mean too few to rate. The numbers are in the organizer table.',
      chartWeeksTitle: 'Matters received per week, stacked by category',
      chartWeeksDesc: 'Stacked columns, one per week, one segment per category; the numbers are in the data table below.',
      weekOf: 'week of {d}',
      segmentTitle: '{week}, {category}: {n}',
      weekTotal: '{week}: {n} in all',
      colWeek: 'Week (starting)',
      colTotal: 'Total',
      other: 'Other',
      colCount: 'This period',
      colPrevious: 'Previous',
      colChange: 'Change',
      colCategory: 'Category',
      colAddress: 'Address',
      colMatters: 'Matters',
      colReports: 'Reports',
      newThisPeriod: 'new',
      allOrganizers: 'All organizers',
      heatLegend: 'Darker means more matters this period',
      repEmpty: 'No repeated reports this period.',
      'reason.signOffOverdue': 'Not signed in time',
      'reason.contactOverdue': 'Citizen not contacted in time',
      'reason.handlingOverdue': 'Not completed in time',
      'reason.refusedWithinDuties': 'Return refused (within duties)',
      'reason.unsatisfiedTwice': 'Unsatisfied twice',
      'reason.sentBackTwice': 'Reply sent back twice',
      'reason.staffDecision': 'Staff decision',
      'status.awaitingDispatch': 'Awaiting dispatch',
      'status.awaitingSignOff': 'Awaiting sign-off',
      'status.handling': 'Handling',
      'status.returnRequested': 'Return requested',
      'status.replyUnderReview': 'Reply under review',
      'status.awaitingEvaluation': 'Awaiting evaluation',
      'status.rejected': 'Rejected',
      'status.answered': 'Answered',
      'status.terminated': 'Terminated',
      'status.closed': 'Closed',
      'status.merged': 'Merged',
      'deadline.signBy': 'sign',
      'deadline.returnBy': 'return',
      'deadline.contactBy': 'contact',
      'deadline.dueBy': 'completion',
      'deadline.extensionCutoff': 'extension cutoff',
      'district.donghu': 'Donghu',
      'district.xiling': 'Xiling',
      'district.nangang': 'Nangang',
      'district.beitang': 'Beitang County',
      'cat.water-supply': 'Water supply',
      'cat.water-pressure': 'Low water pressure',
      'cat.drainage': 'Drainage',
      'cat.water-quality': 'Water quality',
      'cat.power-supply': 'Electricity service',
      'cat.power-outage': 'Power outage',
      'cat.gas-supply': 'Gas supply',
      'cat.gas-leak-followup': 'Gas leak follow-up',
      'cat.housing': 'Housing',
      'cat.property-management': 'Property management',
      'cat.construction-noise': 'Construction noise',
      'cat.elevator': 'Lifts',
      'cat.road-lighting': 'Street lights',
      'cat.street-vending': 'Street vending',
      'cat.sanitation': 'Sanitation',
      'cat.illegal-construction': 'Illegal construction',
      'cat.consumer-rights': 'Consumer rights',
      'cat.food-safety': 'Food safety',
      'cat.price': 'Prices',
      'cat.public-transport': 'Public transport',
      'cat.taxi': 'Taxis',
      'cat.road-damage': 'Road damage',
      'cat.pollution': 'Pollution',
      'cat.environmental-noise': 'Neighbourhood noise',
      'cat.wage-arrears': 'Unpaid wages',
      'cat.social-insurance': 'Social insurance',
      'cat.employment': 'Employment',
      'cat.school-enrolment': 'School enrolment',
      'cat.education-fees': 'School fees',
      'cat.neighbourhood-dispute': 'Neighbourhood disputes',
    },
  };

  const REASONS = ['signOffOverdue', 'contactOverdue', 'handlingOverdue', 'refusedWithinDuties', 'unsatisfiedTwice', 'sentBackTwice', 'staffDecision'];
  const RATES = ['response', 'returnApproval', 'contact', 'onTime', 'satisfaction', 'rehandling'];
  const COUNTS = ['received', 'returned', 'returnsApproved', 'completed', 'extended', 'terminated', 'evaluated', 'handledAgain', 'supervised'];
  // How replies ended and the parts co-organizers owe (Fujian 20(7), 30(4); Weifang 20(3)): counted apart from the matters.
  const OUTCOMES = [
    { field: 'solved', label: 'colSolved', value: (o) => o.solved },
    { field: 'explainedNotSolvable', label: 'colExplainedNotSolvable', value: (o) => o.explainedNotSolvable },
    { field: 'coOrganizingMissing', label: 'colCoOrganizingMissing', value: (o) => o.coOrganizing && o.coOrganizing.missing },
  ];
  const COUNT_LABEL = {
    received: 'colReceived', returned: 'colReturned', returnsApproved: 'colReturnsApproved', completed: 'colCompleted', extended: 'colExtended',
    terminated: 'colTerminated', evaluated: 'colEvaluated', handledAgain: 'colHandledAgain', supervised: 'colSupervised',
  };
  // Colour-blind-safe palette (Okabe–Ito and Tol), in the order categories are drawn.
  const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#332288', '#999933', '#882255', '#6b7280'];
  const TOP_CATEGORIES = 9;
  const { KEY_STORE, LANG_STORE, $, cst, h, fill, setAttrs, append, notice, alertText } = window.HotlineStaff;
  const SVG = 'http://www.w3.org/2000/svg';
  const DAY = 86400000;

  const state = {
    lang: localStorage.getItem(LANG_STORE) === 'en' ? 'en' : 'zh',
    key: sessionStorage.getItem(KEY_STORE) || '',
    period: null, // { fromDate, toDate } as yyyy-mm-dd in China Standard Time
    report: null, // GET /api/reports/organizers
    queues: null, // GET /api/workbench/queues (or the error)
    reportError: null,
    hotspots: null, // GET /api/reports/hotspots
    hotspotsError: null,
    calendars: null, // GET /api/calendars
    calendarsError: null,
    directory: new Map(), // organizer id -> { zh, en }
    sup: { items: null, error: null, next: null, tokens: [], token: null, query: {}, firstPage: null },
    longTerm: null, // GET /api/long-term (or the error)
    action: null, // { kind: 'remind' | 'lift', id }
  };

  // ---- strings and formatting ----

  const { t, label } = window.HotlineStaff.strings(STRINGS, () => state.lang);
  const category = (code) => label('cat.', code);
  const district = (code) => label('district.', code);
  const reasonName = (code) => label('reason.', code);
  const statusName = (code) => label('status.', code);

  const localName = (n) => (n ? (state.lang === 'en' ? n.en : n.zh) || n.zh || n.en : '');

  function organizerName(id, name) {
    const n = name || state.directory.get(id);
    if (!n) return id || t('none');
    return (state.lang === 'en' ? n.en : n.zh) || n.zh || n.en || id;
  }

  const numberFormat = () => new Intl.NumberFormat(state.lang === 'en' ? 'en-US' : 'zh-CN');
  const num = (n) => (n == null ? t('none') : numberFormat().format(n));
  /**
   * One decimal, rounding half away from zero on the number as written in decimal (15 significant digits), so 0.5385
   * shows as 53.9% as a person (and a spreadsheet) would round it, not 53.8% as its binary value would.
   */
  function fixed1(x) {
    const r = Math.round(Number((Math.abs(x) * 10).toPrecision(15))) / 10;
    return (x < 0 && r !== 0 ? '-' : '') + r.toFixed(1);
  }

  /** A rate 0..1 as a percentage with one decimal: 0.8 -> "80.0%". */
  const pct = (v) => fixed1(v * 100) + '%';
  const hours = (h) => (h == null ? t('none') : fixed1(h));

  const dateTime = (iso) => window.HotlineStaff.dateTime(iso, t('none'));

  /** The last calendar day of a period whose end instant is exclusive (midnight) or inclusive. */
  function lastDay(iso) {
    const c = cst(iso);
    if (!c) return t('none');
    return c.time === '00:00' ? addDays(c.date, -1) : c.date;
  }

  /** "2026-03-02" for a weekStart given as a date or as an instant. */
  function dayOf(value) {
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
    const c = cst(value);
    return c ? c.date : String(value);
  }

  function addDays(date, days) {
    const [y, m, d] = date.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d) + days * DAY).toISOString().slice(0, 10);
  }

  /** The server's "now" as written into the page; the browser's clock only if the page was not served by the app. */
  function serverToday() {
    const content = document.querySelector('meta[name="hotline-now"]')?.getAttribute('content') || '';
    const c = /^\d{4}-\d{2}-\d{2}T/.test(content) ? cst(content) : null;
    return (c || cst(new Date().toISOString())).date;
  }

  function defaultPeriod() {
    const toDate = serverToday();
    return { fromDate: addDays(toDate, -29), toDate };
  }

  /** The period as ISO instants at China midnight: from the first day's start to the day after the last. */
  function periodQuery() {
    return `from=${encodeURIComponent(state.period.fromDate + 'T00:00:00+08:00')}&to=${encodeURIComponent(addDays(state.period.toDate, 1) + 'T00:00:00+08:00')}`;
  }

  // ---- DOM helpers (h, fill and the messages are the staff pages' shared ones) ----

  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG, tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  // ---- the API ----

  const api = window.HotlineStaff.client({
    key: () => state.key,
    credentials: 'omit',
    rejected: (status) => status === 401 || status === 403,
    onRejected: () => signOut(t('keyRejected')),
    networkError: () => t('networkError'),
    keyRejected: () => t('keyRejected'),
  });

  const failure = (e) => h('p', { class: 'load-error', role: 'alert', text: t('loadFailed', { status: e.status || t('none'), detail: e.detail || e.message }) });

  // ---- the key ----

  function signOut(message) {
    state.key = '';
    sessionStorage.removeItem(KEY_STORE);
    $('board').hidden = true;
    $('sign-out').hidden = true;
    $('key-panel').hidden = false;
    $('key-error').textContent = message || '';
    $('staff-key').value = '';
    $('staff-key').focus();
  }

  async function enter(key) {
    state.key = key;
    sessionStorage.setItem(KEY_STORE, key);
    $('key-panel').hidden = true;
    $('board').hidden = false;
    $('sign-out').hidden = false;
    $('key-error').textContent = '';
    await loadAll();
  }

  // ---- loading ----

  async function loadDirectory() {
    try {
      const view = await api('/api/organizers');
      state.directory = new Map((view.units || []).map((u) => [u.id, u.name]));
    } catch (e) {
      if (e.status === 401 || e.status === 403) throw e;
      // Names then come from the report alone.
    }
  }

  async function loadReport() {
    state.reportError = null;
    try {
      state.report = await api('/api/reports/organizers?' + periodQuery());
    } catch (e) {
      state.report = null;
      state.reportError = e;
    }
  }

  async function loadHotspots() {
    state.hotspotsError = null;
    try {
      state.hotspots = await api('/api/reports/hotspots?' + periodQuery());
    } catch (e) {
      state.hotspots = null;
      state.hotspotsError = e;
    }
  }

  async function loadCalendars() {
    state.calendarsError = null;
    try {
      state.calendars = await api('/api/calendars');
    } catch (e) {
      state.calendars = null;
      state.calendarsError = e;
    }
  }

  function supervisionUrl(token, forCsv) {
    const q = state.sup.query;
    const p = new URLSearchParams();
    if (q.organizer) p.set('organizer', q.organizer);
    if (q.reason) p.set('reason', q.reason);
    if (q.district) p.set('district', q.district);
    if (!forCsv) p.set('pageSize', q.pageSize || '50');
    if (token) p.set('continuationToken', token);
    const text = p.toString();
    return '/api/supervision' + (text ? '?' + text : '');
  }

  // Long-running matters, legal procedures and escalations (Guangzhou; Weifang 23), soonest deadline first.
  async function loadLongTerm() {
    try {
      state.longTerm = (await api('/api/long-term')).items || [];
    } catch (e) {
      state.longTerm = e;
    }
  }

  function renderLongTerm() {
    const body = $('lt-body');
    if (!state.longTerm) return;
    if (state.longTerm instanceof Error) { fill(body, failure(state.longTerm)); return; }
    if (state.longTerm.length === 0) { fill(body, h('p', { class: 'muted', text: t('ltEmpty') })); return; }
    const head = h('tr', null, ['colMatter', 'colTitle', 'colKind', 'colOrganizer', 'colOwner', 'colStage', 'colSince', 'colLongTermDue']
      .map((k) => h('th', { scope: 'col', text: t(k) })));
    const rows = state.longTerm.map((m) => h('tr', { 'data-matter': m.matterId, 'data-kind': m.kind, 'data-overdue': String(!!m.overdue) },
      h('td', { class: 'mono', 'data-field': 'matterId', text: m.matterId }),
      h('td', { class: 'title-cell', 'data-field': 'title', text: m.title || t('none'), title: m.title || '' }),
      h('td', { 'data-field': 'kind', text: label('lt.', m.kind) }),
      h('td', { 'data-field': 'organizer', 'data-value': m.organizer || '', text: organizerName(m.organizer) }),
      h('td', { 'data-field': 'owner', 'data-value': m.owner || '', text: state.directory.has(m.owner) ? organizerName(m.owner) : (m.owner || t('none')) }),
      h('td', { 'data-field': 'stage', text: m.stage ? label('ltStage.', m.stage) : t('none') }),
      h('td', { class: 'when', 'data-field': 'since' }, when(m.since)),
      h('td', { class: 'when', 'data-field': 'dueBy' }, when(m.dueBy), m.overdue ? [' ', h('span', { class: 'reason', text: t('ltOverdue') })] : '')));
    fill(body, h('table', { class: 'grid', id: 'lt-table' },
      h('caption', { class: 'visually-hidden', text: t('ltTitle') }),
      h('thead', null, head), h('tbody', null, rows)));
  }

  async function loadQueueCounts() {
    try {
      state.queues = (await api('/api/workbench/queues')).queues || [];
    } catch (e) {
      state.queues = e;
    }
  }

  function renderQueueCounts() {
    const list = $('queue-counts');
    if (!state.queues) return;
    if (state.queues instanceof Error) { fill(list, h('li', null, failure(state.queues))); return; }
    fill(list, state.queues.map((q) => h('li', { 'data-queue': q.queue },
      h('a', { href: '/workbench#' + q.queue },
        h('span', { class: 'queue-count', 'data-count': q.queue, text: num(q.count) }),
        h('span', { text: t('queue.' + q.queue) })))));
  }

  async function loadSupervision(token) {
    const section = $('sup-body');
    section.setAttribute('aria-busy', 'true');
    state.sup.error = null;
    try {
      const page = await api(supervisionUrl(token));
      state.sup.items = page.items || [];
      state.sup.next = page.continuationToken || null;
      state.sup.token = token || null;
      if (!token) state.sup.firstPage = { n: state.sup.items.length, more: !!state.sup.next };
    } catch (e) {
      state.sup.items = null;
      state.sup.next = null;
      state.sup.error = e;
    } finally {
      section.removeAttribute('aria-busy');
    }
    renderSupervision();
    renderKpis();
  }

  async function loadAll() {
    for (const id of ['lt-body', 'cal-body', 'sup-body', 'org-body', 'rates-chart', 'weeks-chart', 'districts-body', 'cat-body', 'rep-body']) {
      fill($(id), h('p', { class: 'muted loading', text: t('loading') }));
    }
    document.body.setAttribute('data-loaded', 'false');
    try {
      await loadDirectory();
    } catch {
      return; // the key was refused: the key form is showing again
    }
    if (!state.key) return;
    state.sup.tokens = [];
    await Promise.all([loadReport(), loadHotspots(), loadSupervision(null), loadCalendars(), loadQueueCounts(), loadLongTerm()]);
    if (!state.key) return;
    render();
    document.body.setAttribute('data-loaded', 'true');
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
    fillFilterOptions();
  }

  function render() {
    applyStrings();
    renderPeriod();
    renderKpis();
    renderCalendar();
    renderQueueCounts();
    renderSupervision();
    renderLongTerm();
    renderOrganizers();
    renderRatesChart();
    renderHotspots();
  }

  function renderPeriod() {
    $('from').value = state.period.fromDate;
    $('to').value = state.period.toDate;
    const source = state.report || state.hotspots;
    const parts = [];
    if (source && source.from && source.to) parts.push(t('periodShown', { from: cst(source.from)?.date ?? t('none'), to: lastDay(source.to) }));
    const hs = state.hotspots;
    if (hs && hs.previousFrom && hs.previousTo) parts.push(t('previousShown', { from: cst(hs.previousFrom)?.date ?? t('none'), to: lastDay(hs.previousTo) }));
    $('period-shown').textContent = parts.join(state.lang === 'en' ? '; ' : '；');
  }

  const sum = (list, field) => (list || []).reduce((total, x) => total + (Number(x[field]) || 0), 0);

  function kpi(id, title, value, note) {
    return h('div', { class: 'kpi card', id: 'kpi-' + id },
      h('h3', { text: title }),
      h('p', { class: 'kpi-value', 'data-kpi': id, text: value }),
      h('p', { class: 'muted kpi-note', text: note || '' }));
  }

  function renderKpis() {
    const cards = [];
    if (state.hotspots) {
      const cats = state.hotspots.byCategory || [];
      cards.push(kpi('received', t('kpiReceived'), num(sum(cats, 'count')), t('kpiPrevious', { n: num(sum(cats, 'previous')) })));
    }
    if (state.report) {
      const all = state.report.all;
      const orgs = state.report.organizers || [];
      const total = (field) => (all ? all[field] : sum(orgs, field));
      cards.push(kpi('completed', t('kpiCompleted'), num(total('completed')), t('kpiOnTime', { n: num(total('completedOnTime')) })));
      cards.push(kpi('evaluated', t('kpiEvaluated'), num(total('evaluated')), t('kpiSatisfied', { n: num(total('satisfied')) })));
    }
    const first = state.sup.firstPage;
    if (first && !state.sup.error) {
      const value = first.more ? t('kpiSupervisedMore', { n: num(first.n) }) : num(first.n);
      cards.push(kpi('supervised', t('kpiSupervised'), value, t('kpiSupervisedNote')));
    }
    if (cards.length) fill($('kpis'), cards);
  }

  // The supervision list.

  function fillFilterOptions() {
    const keep = (id) => $(id).value;
    const organizer = keep('f-organizer');
    const reason = keep('f-reason');
    const dist = keep('f-district');
    const ids = new Set([...state.directory.keys(), ...((state.report && state.report.organizers) || []).map((o) => o.organizer)]);
    const orgNames = new Map(((state.report && state.report.organizers) || []).map((o) => [o.organizer, o.name]));
    fill($('f-organizer'), h('option', { value: '', text: t('all') }),
      [...ids].sort().map((id) => h('option', { value: id, text: organizerName(id, orgNames.get(id)) })));
    fill($('f-reason'), h('option', { value: '', text: t('all') }), REASONS.map((r) => h('option', { value: r, text: reasonName(r) })));
    const districts = new Set(Object.keys(STRINGS.zh).filter((k) => k.startsWith('district.')).map((k) => k.slice(9)));
    for (const d of (state.hotspots && state.hotspots.byDistrict) || []) if (d.district) districts.add(d.district);
    fill($('f-district'), h('option', { value: '', text: t('all') }), [...districts].map((d) => h('option', { value: d, text: district(d) })));
    $('f-organizer').value = organizer;
    $('f-reason').value = reason;
    $('f-district').value = dist;
  }

  /** An instant for a table cell: "2026-03-09 17:30", breaking only between the date and the time. */
  function when(iso) {
    const c = iso ? cst(iso) : null;
    return c ? [h('span', { class: 'nowrap', text: c.date }), ' ', h('span', { class: 'nowrap', text: c.time })] : t('none');
  }

  function nextDeadline(value) {
    if (!value) return t('none');
    if (typeof value === 'string') return when(value);
    const at = value.at || value.instant || value.due;
    const kind = value.kind || value.name;
    return [kind ? label('deadline.', kind) + ' ' : '', when(at)];
  }

  function renderCalendar() {
    const body = $('cal-body');
    if (state.calendarsError) return fill(body, failure(state.calendarsError));
    const view = state.calendars || { years: [], missingYears: [] };
    const years = (view.years || []).map((y) => h('li', {
      'data-year': String(y.year),
      'data-source': y.source,
      text: y.source === 'installed'
        ? t('calInstalled', { year: y.year, at: cst(y.installedAt)?.date ?? t('none'), by: y.installedBy || t('none'), override: y.overridesShipped ? t('calOverride') : '' })
        : t('calShipped', { year: y.year }),
    }));
    const missing = view.missingYears || [];
    const status = missing.length > 0
      ? h('p', { class: 'cal-warning', role: 'alert', 'data-missing': missing.join(','), text: t('calMissing', { years: missing.join(state.lang === 'en' ? ', ' : '、'), year: missing[0] }) })
      : h('p', { class: 'muted cal-complete', text: t('calComplete') });
    fill(body, status, h('p', { class: 'muted', text: t('calCovered') }), h('ul', { class: 'cal-years' }, ...years));
  }

  function renderSupervision() {
    const body = $('sup-body');
    const { items, error } = state.sup;
    if (error) { fill(body, failure(error)); updatePager(); return; }
    if (!items) return;
    if (items.length === 0) { fill(body, h('p', { class: 'muted', text: t('supEmpty') })); updatePager(); return; }
    const head = h('tr', null, ['colMatter', 'colTitle', 'colOrganizer', 'colDistrict', 'colReasons', 'colSince', 'colStatus', 'colDueBy', 'colNext', 'colActions']
      .map((k) => h('th', { scope: 'col', text: t(k) })));
    const rows = items.map((m) => h('tr', { 'data-matter': m.matterId },
      h('td', { class: 'mono', 'data-field': 'matterId', text: m.matterId }),
      h('td', { class: 'title-cell', 'data-field': 'title', text: m.title || t('none'), title: m.title || '' }),
      h('td', { 'data-field': 'organizer', 'data-value': m.organizer || '', text: organizerName(m.organizer) }),
      h('td', { 'data-field': 'district', 'data-value': m.district || '', text: district(m.district) }),
      h('td', { 'data-field': 'reasons' }, h('ul', { class: 'reasons' }, (m.reasons || []).map((r) => h('li', {
        class: 'reason reason-' + r.reason,
        'data-reason': r.reason,
        title: t('reasonSince', { reason: reasonName(r.reason), t: dateTime(r.since) }) + (r.note ? ' — ' + r.note : ''),
        text: reasonName(r.reason),
      })))),
      h('td', { class: 'when', 'data-field': 'since' }, when(m.since)),
      h('td', { 'data-field': 'status', 'data-value': m.status || '', text: statusName(m.status) }),
      h('td', { class: 'when', 'data-field': 'dueBy' }, when(m.dueBy)),
      h('td', { class: 'when', 'data-field': 'nextDeadline' }, nextDeadline(m.nextDeadline)),
      h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'small', 'data-action': 'remind', 'aria-label': `${t('remind')} ${m.matterId}`, text: t('remind'), onclick: () => openAction('remind', m) }),
        h('button', { type: 'button', class: 'small ghost', 'data-action': 'lift', 'aria-label': `${t('lift')} ${m.matterId}`, text: t('lift'), onclick: () => openAction('lift', m) }))));
    fill(body, h('table', { class: 'grid', id: 'sup-table' },
      h('caption', { class: 'visually-hidden', text: t('supTitle') }),
      h('thead', null, head), h('tbody', null, rows)));
    updatePager();
  }

  function updatePager() {
    $('sup-prev').disabled = state.sup.tokens.length === 0;
    $('sup-next').disabled = !state.sup.next;
    $('sup-page').textContent = t('pageN', { n: state.sup.tokens.length + 1 });
  }

  function openAction(kind, matter) {
    state.action = { kind, id: matter.matterId };
    $('action-title').textContent = t(kind === 'remind' ? 'remindTitle' : 'liftTitle');
    $('action-matter').textContent = `${matter.matterId} · ${matter.title || ''} · ${organizerName(matter.organizer)}`;
    $('action-label').textContent = t(kind === 'remind' ? 'remindLabel' : 'liftLabel');
    $('action-submit').textContent = t(kind === 'remind' ? 'remindSubmit' : 'liftSubmit');
    $('action-text').value = '';
    $('action-error').textContent = '';
    $('action-dialog').showModal();
    $('action-text').focus();
  }

  async function submitAction(event) {
    event.preventDefault();
    const action = state.action;
    if (!action) return;
    const text = $('action-text').value.trim();
    if (!text) { $('action-error').textContent = t('textRequired'); $('action-text').focus(); return; }
    const submit = $('action-submit');
    submit.disabled = true;
    try {
      const id = encodeURIComponent(action.id);
      if (action.kind === 'remind') await api(`/api/matters/${id}/reminder`, { method: 'POST', body: { note: text } });
      else await api(`/api/matters/${id}/supervision/lift`, { method: 'POST', body: { reason: text } });
      $('action-dialog').close();
      state.action = null;
      notice(t(action.kind === 'remind' ? 'reminded' : 'lifted', { id: action.id }));
      await loadSupervision(state.sup.token);
    } catch (e) {
      if (state.key) $('action-error').textContent = t('actionFailed', { status: e.status || t('none'), detail: e.detail || e.message });
      else $('action-dialog').close();
    } finally {
      submit.disabled = false;
    }
  }

  // The organizer table.

  function rateCell(name, rate, min) {
    if (!rate || rate.value == null) {
      return h('td', { class: 'rate none', 'data-field': 'rate.' + name, 'data-of': rate ? rate.of : '', title: t('tooFewTitle', { min }) },
        h('span', { class: 'rate-value', text: t('tooFew') }), h('small', { text: t('rateOf', { n: rate ? rate.of : 0 }) }));
    }
    return h('td', { class: 'rate', 'data-field': 'rate.' + name, 'data-value': rate.value, 'data-of': rate.of,
      title: t('rateTitle', { rate: t('rate.' + name), value: pct(rate.value), n: rate.of }) },
    h('span', { class: 'rate-value', text: pct(rate.value) }), h('small', { text: t('rateOf', { n: rate.of }) }));
  }

  function renderOrganizers() {
    const body = $('org-body');
    if (state.reportError) { fill(body, failure(state.reportError)); $('org-note').textContent = ''; return; }
    const report = state.report;
    if (!report) return;
    const min = report.minimumForRates;
    $('org-note').textContent = t('orgNote', { min }) + (report.weighted ? ' ' + t('orgNoteWeighted') : '');
    const orgs = report.organizers || [];
    if (orgs.length === 0) { fill(body, h('p', { class: 'muted', text: t('empty') })); return; }
    const weighted = !!report.weighted;
    const list = weighted ? [...orgs].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9)) : orgs;
    const group = h('tr', null,
      weighted ? h('th', { scope: 'col', rowspan: 2, text: t('colRank') }) : null,
      h('th', { scope: 'col', rowspan: 2, class: 'left', text: t('colOrganizer') }),
      h('th', { scope: 'colgroup', colspan: COUNTS.length, text: t('groupCounts') }),
      h('th', { scope: 'colgroup', colspan: RATES.length, text: t('groupRates') }),
      h('th', { scope: 'colgroup', colspan: 2, text: t('groupHours') }),
      h('th', { scope: 'colgroup', colspan: OUTCOMES.length, text: t('groupOutcomes') }),
      weighted ? h('th', { scope: 'col', rowspan: 2, text: t('colScore') }) : null);
    const head = h('tr', null,
      COUNTS.map((c) => h('th', { scope: 'col', 'data-col': c, text: t(COUNT_LABEL[c]) })),
      RATES.map((r) => h('th', { scope: 'col', 'data-col': 'rate.' + r, text: t('head.rate.' + r) })),
      h('th', { scope: 'col', text: t('colHoursToSign') }),
      h('th', { scope: 'col', text: t('colHoursToComplete') }),
      OUTCOMES.map((c) => h('th', { scope: 'col', 'data-col': c.field, text: t(c.label) })));
    const hoursCell = (field, v) => h('td', { class: 'num nowrap', 'data-field': field, text: v ? `${hours(v.median)} / ${hours(v.p90)}` : t('none') });
    const row = (o, key, total) => h('tr', { 'data-organizer': key, class: total ? 'total-row' : null },
      weighted ? h(total ? 'td' : 'th', { scope: total ? null : 'row', class: 'num', 'data-field': 'rank', text: total ? '' : o.rank ?? t('none') }) : null,
      h('th', { scope: 'row', class: 'left org-name', 'data-field': 'name', text: total ? localName(o.name) || t('allOrganizers') : organizerName(o.organizer, o.name) }),
      COUNTS.map((c) => h('td', { class: 'num', 'data-field': c, text: num(o[c]) })),
      RATES.map((r) => rateCell(r, o.rates && o.rates[r], min)),
      hoursCell('hoursToSign', o.hoursToSign),
      hoursCell('hoursToComplete', o.hoursToComplete),
      OUTCOMES.map((c) => h('td', { class: 'num', 'data-field': c.field, text: num(c.value(o)) })),
      weighted ? h('td', { class: 'num', 'data-field': 'score', text: total ? '' : o.score == null ? t('none') : fixed1(Number(o.score)) }) : null);
    const columns = h('colgroup', null,
      weighted ? h('col', { class: 'org-col-rank' }) : null,
      h('col', { class: 'org-col-name' }),
      Array.from({ length: COUNTS.length + RATES.length + 2 + OUTCOMES.length + (weighted ? 1 : 0) }, () => h('col')));
    fill(body, h('table', { class: 'grid org', id: 'org-table' },
      h('caption', { class: 'visually-hidden', text: t('orgTitle') }),
      columns,
      h('thead', null, group, head),
      h('tbody', null, list.map((o) => row(o, o.organizer, false))),
      report.all ? h('tfoot', null, row(report.all, '*all', true)) : null));
  }

  // The charts: inline SVG, sized in user units and scaled by CSS to the card's width.

  function svgRoot(id, width, height, titleKey, descKey) {
    const titleId = id + '-title';
    const descId = id + '-desc';
    return s('svg', { id, viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-labelledby': `${titleId} ${descId}`, class: 'svg-chart' },
      s('title', { id: titleId, text: t(titleKey) }),
      s('desc', { id: descId, text: t(descKey) }));
  }

  function hatch(id, color) {
    return s('pattern', { id, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      s('rect', { width: 6, height: 6, fill: '#ffffff' }),
      s('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: color, 'stroke-width': 2.5 }));
  }

  function legend(items) {
    return h('ul', { class: 'legend' }, items.map((i) => h('li', null,
      (() => { const sw = h('span', { class: 'swatch' + (i.hatched ? ' hatched' : '') }); sw.style.backgroundColor = i.color; return sw; })(),
      i.label)));
  }

  function renderRatesChart() {
    const box = $('rates-chart');
    if (state.reportError) { fill(box, failure(state.reportError)); return; }
    if (!state.report) return;
    const orgs = (state.report.organizers || []).filter((o) => (o.received || 0) + (o.completed || 0) + (o.evaluated || 0) > 0);
    if (orgs.length === 0) { fill(box, h('p', { class: 'muted', text: t('empty') })); return; }
    const series = [
      { rate: 'onTime', color: '#0072b2' },
      { rate: 'satisfaction', color: '#009e73' },
    ];
    const labelWidth = 250;
    const plot = 860;
    const barH = 14;
    const groupH = barH * series.length + 14;
    const top = 24;
    const width = labelWidth + plot + 80;
    const height = top + orgs.length * groupH + 8;
    const svg = svgRoot('rates-svg', width, height, 'chartRatesTitle', 'chartRatesDesc');
    svg.append(s('defs', null, hatch('hatch-gray', '#9aa3ad')));
    const x = (v) => labelWidth + v * plot;
    for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
      svg.append(s('line', { x1: x(tick), x2: x(tick), y1: top - 6, y2: height - 4, class: 'gridline' }));
      svg.append(s('text', { x: x(tick), y: top - 10, 'text-anchor': 'middle', class: 'tick', text: `${tick * 100}%` }));
    }
    orgs.forEach((o, i) => {
      const y0 = top + i * groupH + 4;
      const name = organizerName(o.organizer, o.name);
      const g = s('g', { class: 'org-group', 'data-organizer': o.organizer, role: 'group', 'aria-label': name });
      g.append(s('text', { x: labelWidth - 10, y: y0 + barH * series.length / 2 + 5, 'text-anchor': 'end', class: 'axis-label', text: name }));
      series.forEach((sr, j) => {
        const y = y0 + j * barH;
        const rate = o.rates && o.rates[sr.rate];
        const rateName = t('rate.' + sr.rate);
        if (!rate || rate.value == null) {
          const title = `${name} · ${rateName}：${t('tooFew')}（n=${rate ? rate.of : 0}）`;
          g.append(s('rect', { x: x(0), y, width: 48, height: barH - 2, fill: 'url(#hatch-gray)', stroke: '#9aa3ad', 'stroke-width': 0.5,
            class: 'bar too-few', 'data-rate': sr.rate, 'aria-label': title }, s('title', { text: title })));
          g.append(s('text', { x: x(0) + 54, y: y + barH - 4, class: 'bar-label muted-label', text: t('tooFew') }));
        } else {
          const title = `${name} · ${t('rateTitle', { rate: rateName, value: pct(rate.value), n: rate.of })}`;
          g.append(s('rect', { x: x(0), y, width: Math.max(rate.value * plot, 1), height: barH - 2, fill: sr.color,
            class: 'bar', 'data-rate': sr.rate, 'data-value': rate.value, 'aria-label': title }, s('title', { text: title })));
          g.append(s('text', { x: x(rate.value) + 6, y: y + barH - 4, class: 'bar-label', text: pct(rate.value) }));
        }
      });
      svg.append(g);
    });
    fill(box, legend([
      { color: series[0].color, label: t('rate.onTime') },
      { color: series[1].color, label: t('rate.satisfaction') },
      { color: '#9aa3ad', label: t('tooFew'), hatched: true },
    ]), svg);
    // Names longer than the label column are shortened with an ellipsis; the whole name stays in the group's label.
    for (const label of svg.querySelectorAll('text.axis-label')) {
      const full = label.textContent;
      let text = full;
      while (text.length > 1 && label.getComputedTextLength() > labelWidth - 16) {
        text = text.slice(0, -1);
        label.textContent = text.trimEnd() + '…';
      }
      if (text !== full) label.append(s('title', { text: full }));
    }
  }

  function niceMax(v) {
    if (v <= 5) return 5;
    const p = 10 ** Math.floor(Math.log10(v));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  function renderHotspots() {
    const hs = state.hotspots;
    const targets = ['weeks-chart', 'districts-body', 'cat-body', 'rep-body'];
    if (state.hotspotsError) {
      for (const id of targets) fill($(id), failure(state.hotspotsError));
      fill($('weeks-table'));
      return;
    }
    if (!hs) return;
    renderWeeks(hs.byWeek || []);
    renderDistricts(hs.byDistrict || []);
    renderCategories(hs.byCategory || []);
    renderRepeated(hs.repeated || []);
  }

  function renderWeeks(byWeek) {
    const box = $('weeks-chart');
    if (byWeek.length === 0) { fill(box, h('p', { class: 'muted', text: t('empty') })); fill($('weeks-table')); return; }
    const weeks = [...new Set(byWeek.map((w) => dayOf(w.weekStart)))].sort();
    const totals = new Map();
    for (const w of byWeek) totals.set(w.category, (totals.get(w.category) || 0) + w.count);
    const ranked = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a) || String(a).localeCompare(String(b)));
    const shown = ranked.length > TOP_CATEGORIES + 1 ? ranked.slice(0, TOP_CATEGORIES) : ranked;
    const OTHER = '\u0000other';
    const keyOf = (c) => (shown.includes(c) ? c : OTHER);
    const stacks = shown.concat(ranked.length > shown.length ? [OTHER] : []);
    const color = (c) => PALETTE[stacks.indexOf(c) % PALETTE.length];
    const catLabel = (c) => (c === OTHER ? t('other') : category(c));
    const cell = new Map(); // week|key -> count
    for (const w of byWeek) {
      const k = dayOf(w.weekStart) + '|' + keyOf(w.category);
      cell.set(k, (cell.get(k) || 0) + w.count);
    }
    const weekTotal = (wk) => stacks.reduce((n, c) => n + (cell.get(wk + '|' + c) || 0), 0);
    const max = niceMax(Math.max(...weeks.map(weekTotal)));
    const left = 44;
    const plotW = 560;
    const plotH = 240;
    const top = 16;
    const width = left + plotW + 10;
    const height = top + plotH + 36;
    const svg = svgRoot('weeks-svg', width, height, 'chartWeeksTitle', 'chartWeeksDesc');
    const y = (v) => top + plotH - (v / max) * plotH;
    for (let i = 0; i <= 5; i++) {
      const v = (max / 5) * i;
      svg.append(s('line', { x1: left, x2: left + plotW, y1: y(v), y2: y(v), class: 'gridline' }));
      svg.append(s('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick', text: Number.isInteger(v) ? v : v.toFixed(1) }));
    }
    const slot = plotW / weeks.length;
    const barW = Math.min(64, slot * 0.6);
    weeks.forEach((wk, i) => {
      const cx = left + slot * i + slot / 2;
      const weekLabel = t('weekOf', { d: wk.slice(5) });
      const g = s('g', { class: 'week', 'data-week': wk, role: 'group', 'aria-label': t('weekTotal', { week: weekLabel, n: weekTotal(wk) }) });
      let acc = 0;
      for (const c of stacks) {
        const n = cell.get(wk + '|' + c) || 0;
        if (!n) continue;
        const title = t('segmentTitle', { week: weekLabel, category: catLabel(c), n });
        g.append(s('rect', { x: cx - barW / 2, y: y(acc + n), width: barW, height: y(acc) - y(acc + n), fill: color(c), stroke: '#ffffff', 'stroke-width': 1,
          class: 'segment', 'data-category': c === OTHER ? 'other' : c, 'data-count': n }, s('title', { text: title })));
        acc += n;
      }
      g.append(s('text', { x: cx, y: y(acc) - 5, 'text-anchor': 'middle', class: 'bar-label', text: acc }));
      g.append(s('text', { x: cx, y: top + plotH + 18, 'text-anchor': 'middle', class: 'tick', text: wk.slice(5) }));
      svg.append(g);
    });
    svg.append(s('line', { x1: left, x2: left + plotW, y1: y(0), y2: y(0), class: 'axis' }));
    fill(box, legend(stacks.map((c) => ({ color: color(c), label: catLabel(c) }))), svg);

    // The same numbers as a table: every category, week by week.
    const head = h('tr', null, h('th', { scope: 'col', class: 'left', text: t('colCategory') }), weeks.map((wk) => h('th', { scope: 'col', text: wk.slice(5) })),
      h('th', { scope: 'col', text: t('colTotal') }));
    const count = new Map();
    for (const w of byWeek) count.set(dayOf(w.weekStart) + '|' + w.category, (count.get(dayOf(w.weekStart) + '|' + w.category) || 0) + w.count);
    const rows = ranked.map((c) => h('tr', { 'data-category': c },
      h('th', { scope: 'row', class: 'left', text: category(c) }),
      weeks.map((wk) => h('td', { class: 'num', 'data-week': wk, text: count.get(wk + '|' + c) || 0 })),
      h('td', { class: 'num total', text: totals.get(c) })));
    const foot = h('tr', { class: 'total-row' }, h('th', { scope: 'row', class: 'left', text: t('colTotal') }),
      weeks.map((wk) => h('td', { class: 'num', 'data-week': wk, text: weekTotal(wk) })),
      h('td', { class: 'num', text: sum(byWeek, 'count') }));
    fill($('weeks-table'), h('table', { class: 'grid compact', id: 'weeks-data' },
      h('caption', { class: 'visually-hidden', text: t('chartWeeksTitle') }),
      h('thead', null, head), h('tbody', null, rows), h('tfoot', null, foot)));
  }

  /** The change column: the server's relative change against the previous period; null when there was none before. */
  function change(x) {
    const c = x.change;
    if (c == null) return x.count > 0 && !x.previous ? t('newThisPeriod') : t('none');
    const sign = c > 0 ? '+' : c < 0 ? '−' : '';
    return sign + fixed1(Math.abs(c) * 100) + '%';
  }

  function changeClass(x) {
    const c = x.change == null ? (x.count ?? 0) - (x.previous ?? 0) : x.change;
    return c > 0 ? 'up' : c < 0 ? 'down' : '';
  }

  function renderDistricts(byDistrict) {
    const box = $('districts-body');
    if (byDistrict.length === 0) { fill(box, h('p', { class: 'muted', text: t('empty') })); return; }
    const list = [...byDistrict].sort((a, b) => b.count - a.count || String(a.district).localeCompare(String(b.district)));
    const max = Math.max(1, ...list.map((d) => d.count));
    const rows = list.map((d) => {
      const heat = d.count / max;
      const countCell = h('td', { class: 'num heat', 'data-field': 'count', text: d.count });
      // Light to dark blue; white text once the cell is dark.
      countCell.style.backgroundColor = `rgba(11, 79, 156, ${(0.08 + 0.82 * heat).toFixed(3)})`;
      if (heat > 0.55) countCell.classList.add('dark');
      return h('tr', { 'data-district': d.district ?? '' },
        h('th', { scope: 'row', class: 'left', text: district(d.district) }),
        countCell,
        h('td', { class: 'num', 'data-field': 'previous', text: d.previous ?? t('none') }),
        h('td', { class: 'num ' + changeClass(d), 'data-field': 'change', text: change(d) }));
    });
    fill(box, h('table', { class: 'grid heat-table', id: 'district-table' },
      h('caption', { class: 'visually-hidden', text: t('districtsTitle') }),
      h('thead', null, h('tr', null, ['colDistrict', 'colCount', 'colPrevious', 'colChange'].map((k, i) => h('th', { scope: 'col', class: i === 0 ? 'left' : '', text: t(k) })))),
      h('tbody', null, rows)),
    h('p', { class: 'muted heat-legend', text: t('heatLegend') }));
  }

  function renderCategories(byCategory) {
    const box = $('cat-body');
    if (byCategory.length === 0) { fill(box, h('p', { class: 'muted', text: t('empty') })); return; }
    const list = [...byCategory].sort((a, b) => b.count - a.count || String(a.category).localeCompare(String(b.category)));
    fill(box, h('table', { class: 'grid', id: 'category-table' },
      h('caption', { class: 'visually-hidden', text: t('catTitle') }),
      h('thead', null, h('tr', null, ['colCategory', 'colCount', 'colPrevious', 'colChange'].map((k, i) => h('th', { scope: 'col', class: i === 0 ? 'left' : '', text: t(k) })))),
      h('tbody', null, list.map((c) => h('tr', { 'data-category': c.category },
        h('th', { scope: 'row', class: 'left', text: category(c.category) }),
        h('td', { class: 'num', 'data-field': 'count', text: c.count }),
        h('td', { class: 'num', 'data-field': 'previous', text: c.previous ?? t('none') }),
        h('td', { class: 'num ' + changeClass(c), 'data-field': 'change', text: change(c) }))))));
  }

  function renderRepeated(repeated) {
    const box = $('rep-body');
    if (repeated.length === 0) { fill(box, h('p', { class: 'muted', text: t('repEmpty') })); return; }
    fill(box, h('table', { class: 'grid', id: 'repeated-table' },
      h('caption', { class: 'visually-hidden', text: t('repTitle') }),
      h('thead', null, h('tr', null, ['colCategory', 'colDistrict', 'colAddress', 'colReports', 'colMatters'].map((k) => h('th', { scope: 'col', class: 'left nowrap', text: t(k) })))),
      h('tbody', null, repeated.map((r) => h('tr', { 'data-category': r.category, 'data-district': r.district ?? '' },
        h('td', { class: 'left', text: category(r.category) }),
        h('td', { class: 'left', text: district(r.district) }),
        h('td', { class: 'left', 'data-field': 'address', text: r.address || t('none') }),
        h('td', { class: 'num', 'data-field': 'count', text: r.count }),
        h('td', { class: 'left', 'data-field': 'matters' }, h('ul', { class: 'ids' }, (r.matters || []).map((id) => h('li', { class: 'mono', text: id })))))))));
  }

  // ---- CSV ----

  /** One CSV field (RFC 4180), with a leading apostrophe on text that a spreadsheet would run as a formula. */
  function csvField(value) {
    let text = value == null ? '' : String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  const csvText = (rows) => rows.map((r) => r.map(csvField).join(',') + '\r\n').join('');

  /**
   * The supervision list as CSV, for a server that answers the list in JSON only: every page of the same query,
   * one row per matter, reasons joined with ';'.
   */
  async function supervisionCsv(firstPage) {
    const rows = [['matterId', 'title', 'organizer', 'organizerName', 'district', 'reasons', 'since', 'status', 'dueBy', 'nextDeadline']];
    let page = firstPage;
    for (let n = 0; n < 100; n++) {
      for (const m of page.items || []) {
        rows.push([m.matterId, m.title, m.organizer, organizerName(m.organizer), m.district, (m.reasons || []).map((r) => r.reason).join(';'),
          m.since, m.status, m.dueBy, typeof m.nextDeadline === 'object' && m.nextDeadline ? m.nextDeadline.at : m.nextDeadline]);
      }
      if (!page.continuationToken) break;
      page = await api(supervisionUrl(page.continuationToken, true));
    }
    return csvText(rows);
  }

  async function downloadCsv(url, name, fromJson) {
    try {
      const response = await api(url, { accept: 'text/csv' });
      let text = response.text;
      let file = null;
      if (/^text\/csv/i.test(response.type)) {
        const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(response.disposition || '');
        if (match) file = decodeURIComponent(match[1]);
      } else if (fromJson) {
        text = await fromJson(JSON.parse(text));
      }
      file = file || `${name}-${state.period.fromDate}-${state.period.toDate}.csv`;
      // A byte-order mark so spreadsheet programs read the Chinese text as UTF-8 (fetch drops the server's).
      const blob = new Blob(['\ufeff', text.replace(/^\ufeff/, '')], { type: 'text/csv;charset=utf-8' });
      const href = URL.createObjectURL(blob);
      const a = h('a', { href, download: file, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 10000);
      notice(t('csvDone', { file }));
    } catch (e) {
      if (state.key) alertText(t('loadFailed', { status: e.status || t('none'), detail: e.detail || e.message }));
    }
  }

  // ---- wiring ----

  function start() {
    state.period = defaultPeriod();
    applyStrings();
    $('lang').addEventListener('click', () => {
      state.lang = state.lang === 'zh' ? 'en' : 'zh';
      localStorage.setItem(LANG_STORE, state.lang);
      if (state.key && !$('board').hidden) render(); else applyStrings();
    });
    $('sign-out').addEventListener('click', () => signOut(''));
    $('key-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const key = $('staff-key').value.trim();
      if (!key) { $('key-error').textContent = t('keyRequired'); return; }
      enter(key);
    });
    $('period').addEventListener('submit', (e) => {
      e.preventDefault();
      const fromDate = $('from').value;
      const toDate = $('to').value;
      if (!fromDate || !toDate || fromDate > toDate) { alertText(t('periodInvalid')); return; }
      $('alert').textContent = '';
      state.period = { fromDate, toDate };
      loadAll();
    });
    $('last30').addEventListener('click', () => { state.period = defaultPeriod(); loadAll(); });
    $('sup-filters').addEventListener('submit', (e) => {
      e.preventDefault();
      state.sup.query = { organizer: $('f-organizer').value, reason: $('f-reason').value, district: $('f-district').value, pageSize: $('f-size').value };
      state.sup.tokens = [];
      loadSupervision(null);
    });
    $('sup-next').addEventListener('click', () => {
      if (!state.sup.next) return;
      state.sup.tokens.push(state.sup.token);
      loadSupervision(state.sup.next);
    });
    $('sup-prev').addEventListener('click', () => {
      if (state.sup.tokens.length === 0) return;
      loadSupervision(state.sup.tokens.pop());
    });
    $('sup-csv').addEventListener('click', () => downloadCsv(supervisionUrl(null, true), 'supervision', supervisionCsv));
    $('org-csv').addEventListener('click', () => downloadCsv('/api/reports/organizers?' + periodQuery(), 'organizers'));
    $('hot-csv').addEventListener('click', () => downloadCsv('/api/reports/hotspots?' + periodQuery(), 'hotspots'));
    $('action-form').addEventListener('submit', submitAction);
    $('action-text').addEventListener('input', () => { $('action-error').textContent = ''; });
    $('action-cancel').addEventListener('click', () => { $('action-dialog').close(); state.action = null; });

    if (state.key) enter(state.key);
    else signOut('');
  }

  start();
})();
