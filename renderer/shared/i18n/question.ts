/** The words of a question's state on the participant page; a part of its catalogue (`t.question`). */
export interface QuestionText {
  state: Record<'pending' | 'approved' | 'rejected' | 'merged', (isOwn: boolean) => string>
  reason: (reason: string) => string
  editedTo: (text: string) => string
  vote: (n: number) => string
  voted: (n: number) => string
  votes: (n: number) => string
  waiting: (n: number) => string
  checking: string
  answerEdited: string
  discarded: (note: string | null) => string
}

export const questionEn: QuestionText = {
  state: {
    pending: () => 'Waiting for the host',
    approved: () => 'Approved: sent to the AI',
    rejected: isOwn => isOwn ? 'The host did not take your question' : 'Not taken by the host',
    merged: () => 'Merged with a similar question: its answer is for this one too'
  },
  reason: reason => `“${reason}”`,
  editedTo: text => `The host edited the question to: “${text}”`,
  vote: n => n === 0 ? 'I want to know too' : `I want to know too · ${n}`,
  voted: n => `You voted · ${n}`,
  votes: n => n === 1 ? '1 vote' : `${n} votes`,
  waiting: n => n === 1 ? '1 question waiting for the host' : `${n} questions waiting for the host`,
  checking: 'The host is checking this answer before everyone sees it.',
  answerEdited: '✎ Edited by the host',
  discarded: note => note === null ? 'The host chose not to show this answer.' : `The host chose not to show this answer: “${note}”`
}

export const questionZhCN: QuestionText = {
  state: {
    pending: () => '等待主持人处理',
    approved: () => '已批准：已发送给 AI',
    rejected: isOwn => isOwn ? '主持人没有采纳你的问题' : '主持人未采纳',
    merged: () => '已与相似问题合并：那个回答也适用于此问题'
  },
  reason: reason => `“${reason}”`,
  editedTo: text => `主持人把问题改为：“${text}”`,
  vote: n => n === 0 ? '我也想知道' : `我也想知道 · ${n}`,
  voted: n => `已投票 · ${n}`,
  votes: n => `${n} 票`,
  waiting: n => `${n} 个问题等待主持人处理`,
  checking: '主持人正在检查这个回答，之后大家才会看到。',
  answerEdited: '✎ 主持人已修改',
  discarded: note => note === null ? '主持人决定不展示这个回答。' : `主持人决定不展示这个回答：“${note}”`
}
