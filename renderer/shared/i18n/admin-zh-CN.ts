/** 主持人控制台的简体中文文本。 */
import type { AdminMessages } from './admin-en.js'
import { gateZhCN } from './gate.js'
import { pollsAdminZhCN } from './polls-admin.js'
import type { AuditSentence } from '../../admin/panels/audit-text.js'

const aiModeNames: Record<string, string> = { mention: '提到 @ai 的消息', all: '所有消息', approve: '你先批准的问题', off: '无人（AI 关闭）' }
const projectorViews: Record<string, string> = { auto: '自动', qr: '加入二维码', answer: '回答' }
const settingNames: Record<string, string> = {
  room_name: '房间名称',
  ai_mode: '谁可以向 AI 提问',
  dify_api_url: 'Dify API 地址',
  dify_api_key: 'Dify 应用密钥',
  dify_inputs: 'AI 应用的输入',
  ai_concurrency: '同时回答数',
  ai_max_answer_chars: '回答长度上限',
  review_answers: '先审阅回答',
  allowed_hosts: '其他主机名',
  pin: '加入 PIN',
  'limits.chat_rate': '每人消息数',
  'limits.ai_rate': '每人 AI 提问数',
  'limits.room_ai_rate': '全房间 AI 提问数',
  'limits.join_rate': '每个地址的加入次数'
}

export const adminZhCN: AdminMessages = {
  title: '主持人控制台',
  loading: '正在打开控制台…',
  loadingShort: '正在加载…',
  noToken: '控制台需要管理链接。请打开主持端启动时显示的“Host console”（主持人控制台）地址（以 #token=… 结尾）。',
  refused: '主持端没有接受此控制台的令牌。令牌在每次启动时都会改变：请打开它新显示的控制台地址。',
  hostUnreachable: '无法连接主持端。它还在运行吗？',
  retry: '重试',

  phase: { connecting: '正在连接…', open: '实时', reconnecting: '正在重新连接…', refused: '已断开' },
  onlineNow: '人在线',
  peak: (n: number) => `峰值 ${n}`,
  locked: '房间已锁定',
  slowMode: (s: number) => `慢速模式 ${s} 秒`,
  anonymousBadge: '匿名',

  signals: {
    heading: '全班状态',
    window: '最近 2 分钟',
    lost: (n: number) => `${n} 人没听懂`,
    gotIt: (n: number) => `${n} 人听懂了`,
    hands: (n: number) => n === 0 ? '没有人举手' : `${n} 人举手`,
    lower: '放下',
    lowerName: (name: string) => `放下 ${name} 的手`,
    clear: '全部放下',
    since: (minutes: number) => minutes < 1 ? '刚刚' : `${minutes} 分钟`
  },

  nav: {
    label: '控制台栏目',
    room: '聊天室',
    people: '成员',
    invite: '加入二维码',
    questions: '提问',
    polls: '投票',
    controls: '房间设置',
    ai: 'AI 设置',
    stats: '实时统计',
    audit: '操作记录'
  },

  invite: {
    heading: '邀请大家加入',
    intro: '学生在同一 Wi-Fi 下用手机或电脑打开这个地址，或扫描二维码。',
    chooseAddress: '二维码使用的地址',
    recommended: '推荐',
    kind: { lan: 'Wi-Fi / 局域网', loopback: '仅本机', 'link-local': '无网络（链路本地）', virtual: '虚拟网卡' },
    copy: '复制链接',
    copied: '已复制',
    copyFailed: '请选中地址手动复制',
    port: '端口',
    pin: 'PIN 码',
    noPin: '未设 PIN：同一网络的任何人都能加入',
    qrLabel: (url: string) => `${url} 的二维码`,
    noAddress: '没有找到网络地址：请把这台电脑连到班级使用的 Wi-Fi。',
    showBig: '显示大二维码',
    onlyLoopback: '目前只有这台电脑能进入房间。',
    otherAddresses: '其他地址',
    portFallback: (from: number, port: number) => `这台电脑的端口 ${from} 已被占用，房间改用端口 ${port}。这里的地址已经使用新端口。`
  },

  room: {
    heading: '实时聊天',
    empty: '还没有消息。学生发的内容会显示在这里。',
    composerLabel: '以主持人身份发消息',
    composerPlaceholder: '以主持人身份对大家说…（@ai 向 AI 提问）',
    send: '发送',
    sending: '正在发送…',
    hide: '隐藏',
    hideLabel: (name: string) => `隐藏 ${name} 的这条消息`,
    hidden: '已对参与者隐藏',
    show: '恢复显示',
    showLabel: '让参与者重新看到这条消息',
    reveal: '查看',
    conceal: '收起',
    stop: '停止',
    feedbackLabel: (helpful: number, confused: number) => `${helpful} 人觉得有帮助，${confused} 人还是不懂`,
    rateGood: '告诉 AI 应用这个回答很好',
    ratePoor: '告诉 AI 应用这个回答不好',
    rated: '你的评价已传给 AI 应用。',
    rateTakenBack: '已撤回你的评价。',
    teach: '教给 AI',
    teachLabel: '把这个回答教给 AI 应用',
    teachTitle: '把这个回答教给 AI 应用',
    teachHelp: '下次有人问这个问题时，AI 应用会用你的话回答，并标注“老师的回答”。需要在 Dify 应用中开启标注回复。',
    teachQuestion: '问题',
    teachAnswer: '你的回答',
    teachSave: '保存为老师的回答',
    taught: '已保存。AI 应用会用你的话回答这个问题。',
    stopLabel: '停止这条 AI 回答',
    host: '主持人',
    newMessages: (n: number) => `${n} 条新消息`,
    showEarlier: '显示更早的消息',
    announcement: '置顶公告'
  },

  people: {
    heading: '成员',
    search: '按名字搜索',
    scope: { session: '本节课', online: '当前在线' },
    countOf: (shown: number, total: number) => `${shown} / ${total}`,
    none: '还没有人加入。请分享加入二维码。',
    noMatch: '没有符合搜索的人。',
    online: '在线',
    offline: '离线',
    messages: (n: number) => `${n} 条消息`,
    mutedUntil: (time: string) => `禁言至 ${time}`,
    banned: '已封禁',
    removed: '已移出',
    removedGroup: (n: number) => `本节课已移出（${n}）`,
    mute: '禁言',
    muteFor: (min: number) => `${min} 分钟`,
    muteMenu: (name: string) => `禁言 ${name}…`,
    unmute: '解除禁言',
    kick: '移出',
    ban: '封禁',
    unban: '解除封禁',
    actionsFor: (name: string) => `对 ${name} 的操作`,
    mutedToast: (name: string, min: number) => `${name} 已被禁言 ${min} 分钟。`,
    unmutedToast: (name: string) => `${name} 可以重新发言了。`,
    kickedToast: (name: string) => `已将 ${name} 移出。对方可以用新名字重新加入。`,
    bannedToast: (name: string, others: number) => others === 0
      ? `已封禁 ${name} 使用的网络地址。`
      : `已封禁 ${name} 使用的网络地址，该地址上的另外 ${others} 个身份也已移出。`,
    unbannedToast: (name: string) => `${name} 可以重新加入了。`,
    kickTitle: (name: string) => `移出 ${name}？`,
    kickBody: '对方的页面会立即关闭，并提示已被主持人移出。对方可以作为新成员重新加入。',
    banTitle: (name: string) => `封禁 ${name}？`,
    banBody: '对方的页面会立即关闭，从同一网络地址加入的其他名字（另一个标签页、无痕窗口）也会一并关闭。在你解除封禁之前，任何人都无法从该网络地址加入。在共用电脑上，这也会挡住下一位使用者。',
    bans: '已封禁的地址',
    undo: '撤销'
  },

  controls: {
    heading: '房间设置',
    roomName: '房间名称',
    roomNameHelp: '显示在每个人页面顶部和加入页面上。',
    rename: '改名',
    joinPin: '加入 PIN',
    joinPinHelp: '加入的人必须输入此 PIN。留空则此网络上的任何人都可以加入。',
    joinPinInvalid: 'PIN 为 4 到 8 位数字。',
    joinPinSet: '设置 PIN',
    joinPinRemove: '取消 PIN',
    lock: '锁定房间',
    lockHelp: '新的人不能加入。已在房间里的人不受影响，也可以重新连接。',
    anonymous: '匿名房间',
    anonymousHelp: '从现在起发送的消息，参与者和投影上都显示为“匿名”，成员列表也不显示姓名。你仍能看到每条消息的发言人。',
    slowMode: '慢速模式',
    slowModeHelp: '每位参与者每隔这么多秒才能发一条消息。',
    off: '关闭',
    seconds: (s: number) => `${s} 秒`,
    announcement: '置顶公告',
    announcementHelp: '显示在每个人页面的顶部。',
    announcementPlaceholder: '例如：今天学习第 4 章，有问题请 @ai',
    pin: '置顶',
    clear: '移除',
    aiMode: '谁可以向 AI 提问',
    aiModeSaved: (mode: string) => `已保存：${mode}。`,
    aiModes: {
      mention: '提到 @ai 的消息',
      all: '每一条消息',
      approve: '由你先批准的问题',
      off: '无人（关闭 AI）'
    },
    photos: '问题里的照片',
    photoModes: {
      off: '关闭',
      check: '每张照片先由你查看',
      on: '开启：立即发出'
    },
    photosHelp: '照片在这台电脑上先清理（去掉位置和相机信息），再给任何人看。开启词表时，照片总是先等你查看。',
    newSession: '开始新的一节课',
    newSessionHelp: '为所有人清空聊天室并开始新的会话。上一节课会保存下来，可以导出。',
    newSessionTitle: '开始新的一节课？',
    newSessionBody: '每个人的消息列表会立即清空，已离开的人的名字可以重新使用，AI 开始新的对话。大家保持连接。上一节课保存在这台电脑上。',
    newSessionConfirm: '开始新的一节课',
    limits: '公平使用限制',
    limitsHelp: '每位参与者和整个房间发消息、向 AI 提问的频率。修改立即生效。',
    limitNames: {
      chat_rate: '每人消息数',
      ai_rate: '每人 AI 提问数',
      room_ai_rate: '全房间 AI 提问数',
      join_rate: '每个网络地址的加入次数'
    },
    per: '每',
    countLabel: (name: string) => `${name}：次数`,
    windowLabel: (name: string) => `${name}：秒数`,
    defaultIs: (count: number, s: number) => `默认 每 ${s} 秒 ${count} 次`,
    saveLimits: '保存限制',
    resetDefaults: '恢复默认',
    saved: '已保存。',
    lockedBy: (flag: string) => `启动时由 ${flag} 设定；请在那里修改。`,
    openAtLogin: '登录时自动开始主持',
    openAtLoginHelp: '电脑启动后房间会自动打开，设置保持不变。'
  },

  ai: {
    heading: 'AI 设置',
    url: 'Dify API 地址',
    urlHelp: '例如 https://api.dify.ai/v1 或你自己的 Dify 服务器。',
    key: '应用 API 密钥',
    keySet: (last4: string) => `已保存密钥（结尾为 …${last4}）。`,
    keyNone: '尚未保存密钥。',
    keyEncrypted: '已在本机加密保存。',
    keyPlaceholder: '粘贴新密钥以替换',
    clearKey: '删除密钥',
    concurrency: '同时回答的数量',
    concurrencyHelp: '数量越多，课堂繁忙时回答越快，但会同时占用更多 Dify 额度。',
    maxAnswer: '回答的最大长度（字符）',
    maxAnswerHelp: (min: number, max: number) => `回答达到这个长度时会在此处截断，并通知 Dify 停止生成。范围 ${min.toLocaleString('zh-CN')} 到 ${max.toLocaleString('zh-CN')}；从下一个回答开始生效。`,
    save: '保存',
    saving: '正在保存…',
    saved: '已保存。',
    test: '测试连接',
    testing: '正在测试…',
    testOk: '连接成功。',
    testFailed: '连接失败',
    notSaved: '这是对上面所填内容的测试。按“保存”后才会用于房间。',
    appName: '应用',
    appMode: '类型',
    opening: '开场白',
    suggested: '推荐问题',
    features: '应用已开启',
    featureOn: '已开启',
    featureOff: '未开启',
    feature: {
      vision: '照片发给模型（视觉）',
      textToSpeech: '朗读使用应用自己的声音',
      followUps: '追问建议',
      annotationReply: '老师教的回答（标注回复）'
    } as Record<'vision' | 'textToSpeech' | 'followUps' | 'annotationReply', string>,
    visionOff: '应用未开启视觉：学生发送的照片 AI 看不到。请在 Dify 应用中开启图片上传，或在房间控制中关闭照片。',
    noOpening: '该应用没有开场白。',
    missingInputs: (names: string) => `应用要求填写但仍为空：${names}。填写之前，每个问题都会失败。`,
    form: '应用的输入项',
    formHelp: '这个应用每次提问都需要这些值。请为全班填写。',
    formNone: '这个应用不需要输入项。',
    formUnknown: '点击“测试连接”读取应用的输入项。',
    required: '必填',
    choose: '请选择…',
    saveInputs: '保存输入项',
    review: '在全班看到之前，先由我阅读 AI 的回答',
    reviewHelp: '回答会在“提问”中等待，直到你发布或丢弃。',
    lockedBy: (flag: string) => `启动时由 ${flag} 设定；请在那里修改。`,
    maxChars: (n: number) => `最多 ${n} 个字符`
  },

  stats: {
    heading: '实时统计',
    online: '当前在线',
    peak: '峰值',
    messages: '消息',
    answered: 'AI 已回答',
    failed: 'AI 失败',
    waiting: 'AI 等待中',
    tokens: '已用 token',
    ttft: '首字用时',
    ms: (ms: number) => ms >= 1000 ? `${(ms / 1000).toFixed(1)} 秒` : `${Math.round(ms)} 毫秒`,
    none: '—',
    chartTitle: '最近几分钟的在线人数和消息',
    chartEmpty: '图表会随着课堂进行逐渐显示。',
    chartSummary: (online: number, messages: number, minutes: number) =>
      `最近 ${minutes} 分钟：当前 ${online} 人在线，共 ${messages} 条消息。`,
    minutesAgo: (n: number) => `${n} 分钟前`,
    now: '现在',
    legendOnline: '在线',
    legendMessages: '每分钟消息数'
  },

  audit: {
    heading: '操作记录',
    intro: '在此控制台进行的每一项操作，最新的在前。',
    none: '暂无记录。',
    when: '时间',
    action: '发生了什么',
    say: {
      'participant.mute': w => `将 ${w.who} 禁言 ${w.n('minutes') ?? 0} 分钟`,
      'participant.unmute': w => `解除了 ${w.who} 的禁言`,
      'participant.kick': w => `将 ${w.who} 移出了房间`,
      'participant.ban': w => {
        const others = (w.n('removed_count') ?? 1) - 1
        return `封禁了 ${w.who} 的网络地址` + (others > 0 ? `，并移出该地址上的另外 ${others} 个身份` : '')
      },
      'participant.unban': w => `解除了对 ${w.who} 的封禁`,
      'participant.erase': w => `抹除了 ${w.who} 的消息（${w.n('messages') ?? 0} 条）`,
      'ban.remove': w => `解除了对 ${w.s('username') ?? '一位参与者'} 的网络地址的封禁`,
      'message.post': w => w.b('asks_ai') ? '以主持人身份发言并向 AI 提问' : '以主持人身份发言',
      'message.hide': w => w.s('role') === 'assistant' ? '对参与者隐藏了一条 AI 回答' : `对参与者隐藏了 ${w.who} 的一条消息`,
      'message.unhide': w => w.s('role') === 'assistant' ? '恢复显示了一条 AI 回答' : `恢复显示了 ${w.who} 的一条消息`,
      'reply.stop': () => '停止了一条 AI 回答',
      'reply.rate': w => w.s('rating') === 'like' ? '评价一条 AI 回答为好' : w.s('rating') === 'dislike' ? '评价一条 AI 回答为不好' : '撤回了对一条 AI 回答的评价',
      'reply.teach': w => `把“${w.s('question') ?? ''}”的回答教给了 AI 应用`,
      'room.update': w => {
        const parts: string[] = []
        if (w.has('locked')) parts.push(w.b('locked') ? '锁定了房间，不再接受新加入' : '重新开放房间加入')
        if (w.has('anonymous')) parts.push(w.b('anonymous') ? '对房间隐藏了姓名（匿名）' : '在房间中重新显示姓名')
        const slow = w.n('slow_mode_s')
        if (slow !== null) parts.push(slow > 0 ? `开启慢速模式：每人每 ${slow} 秒一条` : '关闭了慢速模式')
        const text = w.s('announcement')
        if (text !== null) parts.push(text === '' ? '移除了公告' : `置顶公告“${text}”`)
        return parts.join('；')
      },
      'room.ai_mode': w => `设置谁可以向 AI 提问：${aiModeNames[w.s('ai_mode') ?? ''] ?? w.s('ai_mode') ?? ''}`,
      'session.start': () => '开始了新的一节课',
      'settings.update': w => `保存了设置：${w.list('changed').map(k => settingNames[k] ?? k).join('、')}`,
      'ai.test': w => w.b('ok') ? '测试了 AI 连接：连接正常' : `测试了 AI 连接：失败（${w.s('code') ?? '未知'}）`,
      'ai.conversation_reset': () => '让 AI 开始新的对话',
      'question.approve': w => `将 ${w.who} 的问题发给了 AI` + (w.b('edited') ? '（已修改）' : ''),
      'question.reject': w => `未采纳 ${w.who} 的问题` + (w.s('reason') !== null ? `：“${w.s('reason') ?? ''}”` : ''),
      'question.merge': w => `将 ${w.who} 的问题合并到问题 #${w.n('into') ?? '?'}`,
      'answer.release': w => w.b('edited') ? '将修改后的 AI 回答展示给全班' : '将一条 AI 回答展示给全班',
      'answer.discard': w => '丢弃了一条 AI 回答' + (w.s('note') !== null ? `，说明：“${w.s('note') ?? ''}”` : ''),
      'held.release': w => `放行了 ${w.who} 被拦下的消息（含“${w.s('matched') ?? ''}”）`,
      'held.discard': w => `丢弃了 ${w.who} 被拦下的消息（含“${w.s('matched') ?? ''}”）`,
      'projector.update': w => `将投影设为${projectorViews[w.s('view') ?? ''] ?? w.s('view') ?? ''}` + (w.b('hide_names') ? '，隐藏姓名' : ''),
      'retention.update': w => {
        const days = w.n('days')
        const deleted = w.n('deleted_sessions') ?? 0
        return (days === null ? '课程一直保存，直到手动删除' : `课程保存 ${days} 天`) + (deleted > 0 ? `（删除了 ${deleted} 节较早的课）` : '')
      },
      'word_filter.update': w => w.b('enabled')
        ? `开启了敏感词列表：${w.n('words') ?? 0} 个词，${w.s('action') === 'refuse' ? '直接拒绝' : '交给你审核'}`
        : '关闭了敏感词列表',
      'lesson.summarise': () => '用 AI 总结了本节课',
      'poll.create': w => `发起了投票“${w.s('question') ?? ''}”`,
      'poll.show_results': w => w.b('show_results') ? `向全班显示了“${w.s('question') ?? ''}”的结果` : `对全班隐藏了“${w.s('question') ?? ''}”的结果`,
      'poll.close': w => `结束了投票“${w.s('question') ?? ''}”（${w.n('total') ?? 0} 人作答）`,
      'hands.clear': w => `放下了 ${w.n('count') ?? 0} 只举起的手`,
      'poll.group': w => `让 AI 把“${w.s('question') ?? ''}”的回答分成了 ${w.n('groups') ?? 0} 类`,
      'poll.draft': w => `让 AI 起草了 ${w.n('count') ?? 0} 道测验题`,
      'poll.explain': w => `请 AI 讲解了“${w.s('question') ?? ''}”的结果`
    } as Record<string, AuditSentence>
  },

  questions: {
    heading: '提问',
    pending: '提问队列会显示在这里。'
  },

  dialog: { cancel: '取消', confirm: '确认', close: '关闭' },
  errorPrefix: '操作失败：',
  gate: gateZhCN,
  polls: pollsAdminZhCN
}
