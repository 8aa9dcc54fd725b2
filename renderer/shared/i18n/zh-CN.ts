/** 简体中文界面文字。 */
import type { Messages } from './en.js'
import { questionZhCN } from './question.js'
import { pollZhCN } from './poll.js'

export const zhCN: Messages = {
  locale: 'zh-CN',
  appName: 'MindWeb',
  loading: '正在进入房间…',
  roomUnavailable: '无法连接主持人电脑。请确认你和主持人在同一个 Wi-Fi 下。',
  retry: '重试',

  join: {
    welcome: '欢迎来到',
    intro: '取个名字，选个表情。无需注册，无需安装。',
    nameLabel: '你的名字',
    nameHint: '会显示在你的消息旁边。',
    shuffle: '换一个名字',
    emojiLabel: '你的表情',
    pinLabel: '房间 PIN 码',
    pinHint: '向主持人索取 PIN 码。',
    submit: '加入房间',
    submitting: '正在加入…',
    sessionExpired: '你的会话已结束，请重新加入。',
    removed: '主持人已将你移出房间。你可以用新身份重新加入。',
    renamed: (requested: string, name: string) => `“${requested}”这个名字在本节课已被使用，主持人把你叫作“${name}”。`,
    nameEmpty: '请输入名字。',
    nameTooLong: (max: number) => `名字最多 ${max} 个字符。`,
    nameControl: '名字不能包含不可见的控制字符。',
    nameInvisible: '名字不能包含不可见的字符，请使用大家看得见的文字。',
    nameReserved: (name: string) => `“${name}”是保留名字，请换一个。`,
    pinInvalid: 'PIN 码为 4 到 8 位数字。',
    tryAgainIn: (seconds: number) => `请在 ${seconds} 秒后重试。`,
    aiOff: '本房间的 AI 助手已关闭。',
    aiUnavailable: '本房间没有连接 AI 助手。',
    aiOn: '这里有 AI 助手回答问题。'
  },

  joinErrors: {
    ERR_USERNAME_RESERVED: '这个名字是保留名字，请换一个。',
    ERR_ROOM_LOCKED: '主持人暂时锁定了房间，请让主持人开放。',
    ERR_ROOM_FULL: '房间已满，请联系主持人。',
    ERR_PIN_REQUIRED: '这个房间需要 PIN 码，请向主持人索取。',
    ERR_PIN_WRONG: 'PIN 码不正确，请向主持人确认。',
    ERR_RATE_LIMITED: '这台设备尝试次数太多了。'
  },

  nameAdjectives: ['好奇的', '勇敢的', '安静的', '聪明的', '快乐的', '温柔的', '开心的', '活泼的', '友善的', '幸运的', '机灵的', '敏捷的', '淡定的', '阳光的', '飞快的', '风趣的', '明亮的', '暖暖的', '认真的', '热情的'],
  nameAnimals: {
    fox: '狐狸',
    panda: '熊猫',
    owl: '猫头鹰',
    koala: '考拉',
    dolphin: '海豚',
    penguin: '企鹅',
    hedgehog: '刺猬',
    rabbit: '兔子',
    turtle: '海龟',
    tiger: '老虎',
    whale: '鲸鱼',
    bee: '蜜蜂',
    frog: '青蛙',
    lion: '狮子',
    unicorn: '独角兽',
    octopus: '章鱼',
    butterfly: '蝴蝶',
    otter: '水獭',
    chick: '小鸡',
    monkey: '猴子'
  },

  room: {
    muted: (at: string, minutes: number) => `主持人已将你禁言。${at} 后可以再发言（还有 ${minutes <= 1 ? '约 1' : minutes} 分钟）。`,
    online: (n: number) => `${n} 人在线`,
    people: '成员',
    closePeople: '关闭成员列表',
    you: '你',
    offlineSuffix: '离开',
    morePeople: (n: number) => `还有 ${n} 人`,
    leave: '离开',
    leaveConfirm: '确定离开房间吗？之后可以用新名字重新加入。',
    messagesLabel: '消息',
    showEarlier: '显示更早的消息',
    loadingEarlier: '正在加载更早的消息…',
    newMessages: (n: number) => `${n} 条新消息`,
    jumpToLatest: '跳到最新消息',
    empty: '还没有消息，打个招呼吧！',
    messagesKeys: '用上下方向键在消息之间移动。',
    skipToComposer: '跳到输入框（/）',
    announcement: '主持人置顶',
    offline: '离线',
    dismiss: '知道了',
    anonymousNote: '姓名已隐藏：其他人看到你的消息显示为“匿名”。主持人仍能看到发言人。',
    anonymousPeople: '本房间隐藏姓名。'
  },

  connection: {
    connecting: '正在连接…',
    connected: '已连接',
    reconnecting: '连接已断开，正在重连…',
    reconnectingIn: (seconds: number) => `连接已断开，${seconds} 秒后重连…`,
    offline: '你已离线。恢复网络后消息会自动发送。',
    reconnectNow: '立即重连',
    backOnline: '已重新连接'
  },

  message: {
    pending: '发送中…',
    notSent: '未发送。',
    waitSeconds: (seconds: number) => seconds >= 90 ? `${Math.ceil(seconds / 60)} 分钟后可以重发。` : `${seconds} 秒后可以重发。`,
    resendNow: '现在可以重发了。',
    hidden: '主持人隐藏了这条消息。',
    showMore: '展开全文',
    resend: '重发',
    discard: '删除',
    edited: '已编辑',
    asksAi: '向 AI 提问',
    awaitingApproval: '向 AI 提问：等待主持人批准',
    you: '你',
    ai: 'AI 助手',
    replyTo: (name: string) => `回复 ${name}`,
    anonymous: '匿名',
    anonymousTag: '对房间匿名'
  },

  ai: {
    shownAsText: '此回答以纯文本显示：其格式无法绘制。',
    thinking: 'AI 正在回答…',
    queued: (n: number) => `排队中：第 ${n} 位`,
    queuedMine: (n: number) => `你的问题排在第 ${n} 位`,
    stop: '停止',
    stopLabel: '停止这个回答',
    stopped: '回答已被停止。',
    teachersAnswer: '老师的回答',
    cut: (n: number) => `回答过长，已在 ${n.toLocaleString('zh-CN')} 个字符处截断。`,
    interrupted: '已中断：回答过程中主持人停止了服务。',
    failed: 'AI 没能完成这个回答。',
    sources: (n: number) => `${n} 个来源`,
    copy: '复制',
    copied: '已复制',
    copyCode: '复制代码',
    askAgain: '重新提问',
    announce: (text: string) => `AI 回答：${text}`,
    image: '图片'
  },

  composer: {
    placeholder: '发消息到房间',
    placeholderAi: '向 AI 提个问题',
    label: '消息',
    formLabel: '给房间发消息',
    send: '发送',
    askAi: '问 AI',
    askAiLabel: '把这条消息发给 AI',
    hintMention: '打开“问 AI”或输入 @ai 来提问。',
    hintMentionOn: 'AI 会在房间里回答这条消息。',
    hintAll: '每条消息都会由 AI 回答。',
    hintOff: 'AI 已关闭：消息只发到房间。',
    hintApprove: '给 AI 的问题需要主持人批准。',
    hintUnavailable: '本房间目前没有连接 AI。',
    tooLong: (over: number) => `超出 ${over} 个字符`,
    keys: 'Enter 发送，Shift+Enter 换行',
    slowMode: (seconds: number) => `慢速模式：每 ${seconds} 秒可以发一条。`
  },

  photo: {
    attach: '添加照片',
    remove: '移除这张照片',
    previews: '要发送的照片',
    uploading: (percent: number) => `正在上传照片… ${percent}%`,
    failed: (reason: string) => `照片没有添加成功。${reason}`,
    tooMany: (max: number) => `每条消息最多 ${max} 张照片。`,
    checkNote: '照片会先由主持人查看，再给房间里的人看。',
    open: (name: string) => `打开 ${name} 的照片`,
    alt: (name: string) => `${name} 的照片`,
    viewer: '照片',
    close: '关闭',
    count: (n: number) => `${n} 张照片`
  },

  welcome: {
    followUps: '接着问',
    title: '欢迎',
    titleBefore: '欢迎来到 ',
    titleAfter: '！',
    suggestions: '试试问',
    plain: '你在这里写的内容，房间里的每个人都能看到。'
  },

  feedback: {
    label: '这个回答有帮助吗？',
    helpful: '有帮助',
    confused: '还是不懂'
  },

  listen: {
    listen: '朗读',
    label: '朗读这个回答',
    loading: '加载中…',
    stop: '停止朗读',
    failed: '无法朗读。',
    blocked: '再点一次以允许播放声音。'
  },

  signals: {
    label: '告诉主持人',
    lost: '我没听懂',
    gotIt: '听懂了',
    hand: '举手',
    handUp: '已举手',
    note: '主持人只看到人数，看不到是谁（举手会显示你的名字）。'
  },

  reactions: {
    label: '表情回应',
    add: '添加表情回应',
    give: (emoji: string) => `用 ${emoji} 回应`,
    chip: (emoji: string, n: number) => `${emoji} ${n}：点按添加或撤回你的回应`
  },

  errors: {
    generic: '出了点问题，请重试。',
    network: '无法连接主持人电脑，请检查网络。'
  },

  question: questionZhCN,
  poll: pollZhCN
}
