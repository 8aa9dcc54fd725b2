/** The console's words for the question queue, the projector and the lesson record; a part of the console's catalogue (`t.gate`). */
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
  readAloud: string
  lesson: string
  saveLesson: string
  sessionCurrent: string
  sessionAll: string
  saved: (name: string) => string
  filter: string
  filterOn: string
  filterHelp: string
  hold: string
  refuse: string
  words: string
  wordsHelp: string
  addStarter: (lang: string) => string
  save: string
  filterSaved: (n: number) => string
  heldHeading: (n: number) => string
  heldMatched: (word: string) => string
  /** a message held because it has photos (the host sees them first) */
  heldPhoto: string
  release: string
  discard: string
  summary: string
  summarise: string
  summarising: string
  noSummary: string
  privacy: string
  retention: string
  retentionKeep: string
  retentionDays: (n: number) => string
  retentionDone: (n: number) => string
  erase: string
  eraseHelp: string
  eraseConfirmTitle: (name: string) => string
  eraseConfirmBody: string
  eraseDone: (n: number) => string
  reviewHeading: (n: number) => string
  reviewAsked: (name: string) => string
  releaseAnswer: string
  editAnswer: string
  releaseEdited: string
  discardAnswer: string
  discardNote: string
}

export const gateEn: GateText = {
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
  readAloud: 'Read each answer aloud on the projector',
  lesson: 'Lesson record',
  saveLesson: 'Save lesson',
  sessionCurrent: 'This lesson',
  sessionAll: 'All lessons',
  saved: name => `Saved ${name}`,
  filter: 'Word list',
  filterOn: 'Check messages against the word list',
  filterHelp: 'Checked on this computer before anything reaches the room or the AI service.',
  hold: 'Hold for me to check',
  refuse: 'Refuse, and tell the sender why',
  words: 'Words and phrases (one a line)',
  wordsHelp: 'Whole words for English (“ass” does not match “class”); Chinese phrases anywhere.',
  addStarter: lang => `Add the ${lang} starter list`,
  save: 'Save',
  filterSaved: n => `Word list saved (${n} entries)`,
  heldHeading: n => `Held for you to check (${n})`,
  heldMatched: word => `contains “${word}”`,
  heldPhoto: 'has a photo: check it before the room sees it',
  release: 'Let it through',
  discard: 'Discard',
  summary: 'Lesson summary',
  summarise: 'Summarise this lesson',
  summarising: 'Asking the AI…',
  noSummary: 'The AI writes what was asked, what was answered and what was left open. It is saved with the lesson.',
  privacy: 'Privacy',
  retention: 'Keep lessons',
  retentionKeep: 'Keep all lessons',
  retentionDays: n => `Delete lessons older than ${n} days`,
  retentionDone: n => n === 0 ? 'Retention saved' : `Retention saved; ${n} old lessons deleted`,
  erase: 'Erase a participant',
  eraseHelp: 'Removes everything they wrote (and the answers to their questions) from this computer and from exports, and shows it as removed in the room.',
  eraseConfirmTitle: name => `Erase ${name}?`,
  eraseConfirmBody: 'Their messages are deleted from storage and exports and disappear from every screen. This cannot be undone.',
  eraseDone: n => `Erased (${n} messages removed)`,
  reviewHeading: n => `Answers to check before the class sees them (${n})`,
  reviewAsked: name => `${name} asked`,
  releaseAnswer: 'Show to the class',
  editAnswer: 'Edit, then show',
  releaseEdited: 'Show edited answer',
  discardAnswer: 'Discard…',
  discardNote: 'Note the class sees (optional)'
}

export const gateZhCN: GateText = {
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
  readAloud: '投影上朗读每个回答',
  lesson: '课堂记录',
  saveLesson: '保存课堂',
  sessionCurrent: '本节课',
  sessionAll: '所有课',
  saved: name => `已保存 ${name}`,
  filter: '词表',
  filterOn: '用词表检查消息',
  filterHelp: '在本机检查，任何内容在到达房间或 AI 服务之前。',
  hold: '先由我检查',
  refuse: '拒绝，并告诉发送者原因',
  words: '词和短语（每行一个）',
  wordsHelp: '英文按整词匹配；中文短语出现即匹配。',
  addStarter: lang => `加入 ${lang} 初始词表`,
  save: '保存',
  filterSaved: n => `词表已保存（${n} 条）`,
  heldHeading: n => `等你查看的消息（${n}）`,
  heldMatched: word => `包含“${word}”`,
  heldPhoto: '带有照片：先查看，再给房间里的人看',
  release: '放行',
  discard: '丢弃',
  summary: '课堂总结',
  summarise: '总结本节课',
  summarising: '正在询问 AI…',
  noSummary: 'AI 会写出问了什么、答了什么、还有什么未解决。总结随课堂记录保存。',
  privacy: '隐私',
  retention: '保留课堂记录',
  retentionKeep: '保留所有课堂',
  retentionDays: n => `删除 ${n} 天前的课堂`,
  retentionDone: n => n === 0 ? '保留设置已保存' : `保留设置已保存；已删除 ${n} 节旧课堂`,
  erase: '抹除一位参与者',
  eraseHelp: '从本机和导出中删除其所写的一切（以及对其问题的回答），并在房间中显示为已移除。',
  eraseConfirmTitle: name => `抹除 ${name}？`,
  eraseConfirmBody: '其消息将从存储和导出中删除，并从所有屏幕上消失。此操作无法撤销。',
  eraseDone: n => `已抹除（移除 ${n} 条消息）`,
  reviewHeading: n => `全班看到之前待检查的回答（${n}）`,
  reviewAsked: name => `${name} 提问`,
  releaseAnswer: '展示给全班',
  editAnswer: '修改后展示',
  releaseEdited: '展示修改后的回答',
  discardAnswer: '丢弃…',
  discardNote: '全班可见的说明（可选）'
}
