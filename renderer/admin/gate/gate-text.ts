/** The console's words for the question queue, the projector and the lesson record (en, zh-CN). */
export interface GateText {
  heading: string
  waiting: (n: number) => string
  empty: string
  notApproveMode: string
  votes: (n: number) => string
  approve: string
  edit: string
  approveEdited: string
  reject: string
  rejectConfirm: string
  reasonLabel: string
  reasons: string[]
  merge: string
  mergeInto: string
  mergeConfirm: string
  cancel: string
  decided: (n: number) => string
  status: Record<'pending' | 'approved' | 'rejected' | 'merged', string>
  editedTo: (text: string) => string
  mergedInto: (text: string) => string
  reasonWas: (reason: string) => string
  projector: string
  openProjector: string
  views: Record<'auto' | 'qr' | 'answer', string>
  hideNames: string
  lesson: string
  saveLesson: string
  sessionCurrent: string
  sessionAll: string
  saved: (name: string) => string
}

const en: GateText = {
  heading: 'Questions',
  waiting: n => n === 1 ? '1 waiting' : `${n} waiting`,
  empty: 'No question is waiting. When the room is in “Questions you approve first” mode, questions to the AI appear here, most wanted first.',
  notApproveMode: 'Questions wait here only in “Questions you approve first” mode (Room controls).',
  votes: n => n === 1 ? '1 vote' : `${n} votes`,
  approve: 'Approve',
  edit: 'Edit, then approve',
  approveEdited: 'Send edited question',
  reject: 'Reject…',
  rejectConfirm: 'Reject',
  reasonLabel: 'Reason the class sees (optional)',
  reasons: ['Off topic', 'Already answered', 'Let’s discuss it together', 'Please ask it more clearly'],
  merge: 'Merge…',
  mergeInto: 'Same as',
  mergeConfirm: 'Merge',
  cancel: 'Cancel',
  decided: n => `Decided (${n})`,
  status: { pending: 'waiting', approved: 'approved', rejected: 'not taken', merged: 'merged' },
  editedTo: text => `Sent as: “${text}”`,
  mergedInto: text => `Answered with: “${text}”`,
  reasonWas: reason => `Reason: “${reason}”`,
  projector: 'Projector',
  openProjector: 'Open the projector view',
  views: { auto: 'Automatic', qr: 'Join code', answer: 'Answer' },
  hideNames: 'Hide names on the projector',
  lesson: 'Lesson record',
  saveLesson: 'Save lesson',
  sessionCurrent: 'This lesson',
  sessionAll: 'All lessons',
  saved: name => `Saved ${name}`
}

const zhCN: GateText = {
  heading: '问题',
  waiting: n => `${n} 个待处理`,
  empty: '暂无待处理的问题。在“先由你批准问题”模式下，发给 AI 的问题会显示在这里，票数多的在前。',
  notApproveMode: '只有在“先由你批准问题”模式下（房间设置），问题才会在这里等待。',
  votes: n => `${n} 票`,
  approve: '批准',
  edit: '修改后批准',
  approveEdited: '发送修改后的问题',
  reject: '拒绝…',
  rejectConfirm: '拒绝',
  reasonLabel: '全班可见的理由（可选）',
  reasons: ['与主题无关', '已经回答过', '我们一起讨论', '请把问题问得更清楚'],
  merge: '合并…',
  mergeInto: '与此相同',
  mergeConfirm: '合并',
  cancel: '取消',
  decided: n => `已处理（${n}）`,
  status: { pending: '待处理', approved: '已批准', rejected: '未采纳', merged: '已合并' },
  editedTo: text => `发送为：“${text}”`,
  mergedInto: text => `以此回答：“${text}”`,
  reasonWas: reason => `理由：“${reason}”`,
  projector: '投影',
  openProjector: '打开投影视图',
  views: { auto: '自动', qr: '加入二维码', answer: '回答' },
  hideNames: '投影上隐藏姓名',
  lesson: '课堂记录',
  saveLesson: '保存课堂',
  sessionCurrent: '本节课',
  sessionAll: '所有课',
  saved: name => `已保存 ${name}`
}

export function gateText (locale: string): GateText {
  return locale.startsWith('zh') ? zhCN : en
}
