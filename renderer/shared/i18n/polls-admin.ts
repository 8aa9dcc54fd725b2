/** The words of the console's Polls section; a part of the console catalogue (`t.polls`). */
export interface PollsAdminText {
  heading: string
  intro: string
  newPoll: string
  question: string
  questionPlaceholder: string
  kind: string
  kinds: { single: string, multi: string, yesNo: string, open: string }
  options: string
  option: (n: number) => string
  addOption: string
  removeOption: (n: number) => string
  correct: string
  correctHelp: string
  yes: string
  no: string
  openHelp: string
  launch: string
  launched: (question: string) => string
  none: string
  open: string
  closed: string
  answered: (n: number) => string
  votes: (n: number) => string
  correctMark: string
  shown: string
  hidden: string
  show: string
  hide: string
  close: string
  closedToast: (question: string) => string
  who: string
  noAnswers: string
  openAnswers: string
  draftTitle: string
  draftHelp: string
  draftFrom: string
  draftMinutes: (n: number) => string
  draftCount: string
  draft: string
  drafting: string
  drafted: (n: number) => string
  useDraft: string
  editDraft: string
  discardDraft: string
  explain: string
  explainNoCorrect: string
  explaining: string
  group: string
  grouping: string
  misconception: string
  showGroups: string
  hideGroups: string
  groupsShown: string
}

export const pollsAdminEn: PollsAdminText = {
  heading: 'Polls',
  intro: 'Ask the whole room at once: phones show the poll on top of the room. You see who answered what; the class sees only the counts, and only when you show them.',
  newPoll: 'New poll',
  question: 'Question',
  questionPlaceholder: 'e.g. Which gas do plants take in?',
  kind: 'Answers',
  kinds: { single: 'One choice', multi: 'Several choices', yesNo: 'Yes / no', open: 'A few words' },
  options: 'Options',
  option: n => `Option ${n}`,
  addOption: 'Add an option',
  removeOption: n => `Remove option ${n}`,
  correct: 'Correct',
  correctHelp: 'Mark the correct option to make it a quiz question (optional).',
  yes: 'Yes',
  no: 'No',
  openHelp: 'Everyone types a short answer; you read them all here.',
  launch: 'Open the poll',
  launched: q => `Poll opened: “${q}”`,
  none: 'No polls in this lesson yet.',
  open: 'Open',
  closed: 'Closed',
  answered: n => n === 1 ? '1 answer' : `${n} answers`,
  votes: n => n === 1 ? '1 vote' : `${n} votes`,
  correctMark: 'correct',
  shown: 'The class sees the results.',
  hidden: 'Results are hidden from the class.',
  show: 'Show results to the class',
  hide: 'Hide results',
  close: 'Close the poll',
  closedToast: q => `Poll closed: “${q}”`,
  who: 'Who answered what',
  noAnswers: 'No answers yet.',
  openAnswers: 'Answers',
  draftTitle: 'Draft a quiz with the AI',
  draftHelp: 'The AI reads what the room asked and was answered, and suggests questions with their correct option. Nothing opens until you choose.',
  draftFrom: 'From the last',
  draftMinutes: n => `${n} minutes`,
  draftCount: 'Questions',
  draft: 'Draft questions',
  drafting: 'The AI is drafting…',
  drafted: n => n === 1 ? 'The AI drafted 1 question.' : `The AI drafted ${n} questions.`,
  useDraft: 'Open this question',
  editDraft: 'Edit first',
  discardDraft: 'Discard',
  explain: 'Explain the most-missed answer',
  explainNoCorrect: 'Ask the AI to explain the result',
  explaining: 'The AI is explaining the result in the room.',
  group: 'Group the answers with the AI',
  grouping: 'The AI is grouping the answers…',
  misconception: 'misconception',
  showGroups: 'Show the groups on the projector',
  hideGroups: 'Take them off the projector',
  groupsShown: 'The groups are on the projector.'
}

export const pollsAdminZhCN: PollsAdminText = {
  heading: '投票',
  intro: '一次问全班：手机上投票会出现在聊天室顶部。你能看到每个人的回答；学生只能看到票数，而且只在你公布之后。',
  newPoll: '新建投票',
  question: '问题',
  questionPlaceholder: '例如：植物吸收哪种气体？',
  kind: '回答方式',
  kinds: { single: '单选', multi: '多选', yesNo: '是 / 否', open: '简短文字' },
  options: '选项',
  option: n => `选项 ${n}`,
  addOption: '添加选项',
  removeOption: n => `删除选项 ${n}`,
  correct: '正确',
  correctHelp: '标出正确选项即成为测验题（可选）。',
  yes: '是',
  no: '否',
  openHelp: '每人输入一个简短回答，你可以在这里看到全部回答。',
  launch: '发布投票',
  launched: q => `已发布投票：“${q}”`,
  none: '本节课还没有投票。',
  open: '进行中',
  closed: '已结束',
  answered: n => `${n} 人作答`,
  votes: n => `${n} 票`,
  correctMark: '正确',
  shown: '全班可以看到结果。',
  hidden: '结果对全班隐藏。',
  show: '向全班公布结果',
  hide: '隐藏结果',
  close: '结束投票',
  closedToast: q => `已结束投票：“${q}”`,
  who: '谁回答了什么',
  noAnswers: '还没有人回答。',
  openAnswers: '回答',
  draftTitle: '让 AI 起草测验',
  draftHelp: 'AI 会阅读课堂上的提问和回答，建议题目并给出正确选项。在你选择之前不会发布任何题目。',
  draftFrom: '依据最近',
  draftMinutes: n => `${n} 分钟`,
  draftCount: '题数',
  draft: '起草题目',
  drafting: 'AI 正在起草…',
  drafted: n => `AI 起草了 ${n} 道题。`,
  useDraft: '发布这道题',
  editDraft: '先修改',
  discardDraft: '放弃',
  explain: '讲解错得最多的答案',
  explainNoCorrect: '请 AI 讲解结果',
  explaining: 'AI 正在聊天室里讲解结果。',
  group: '让 AI 给回答分类',
  grouping: 'AI 正在分类…',
  misconception: '误解',
  showGroups: '在投影上显示分类',
  hideGroups: '从投影上撤下',
  groupsShown: '分类已显示在投影上。'
}
