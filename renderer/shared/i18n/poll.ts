/** The words of a poll card on the participant page; a part of its catalogue (`t.poll`). */
export interface PollText {
  label: string
  open: string
  closed: string
  pickOne: string
  pickAny: string
  textLabel: string
  textHint: (max: number) => string
  textTooLong: (max: number) => string
  submit: string
  change: string
  saved: string
  answered: (n: number) => string
  resultsHidden: string
  hide: string
  show: string
  count: (n: number) => string
}

export const pollEn: PollText = {
  label: 'Poll',
  open: 'Open',
  closed: 'Closed',
  pickOne: 'Pick one answer.',
  pickAny: 'Pick one or more answers.',
  textLabel: 'Your answer',
  textHint: max => `A few words, at most ${max} characters.`,
  textTooLong: max => `At most ${max} characters, please.`,
  submit: 'Send answer',
  change: 'Change answer',
  saved: 'Your answer is in.',
  answered: n => n === 1 ? '1 answer' : `${n} answers`,
  resultsHidden: 'The host will show the results.',
  hide: 'Hide poll',
  show: 'Show poll',
  count: n => n === 1 ? '1 vote' : `${n} votes`
}

export const pollZhCN: PollText = {
  label: '投票',
  open: '进行中',
  closed: '已结束',
  pickOne: '请选择一个答案。',
  pickAny: '可以选择一个或多个答案。',
  textLabel: '你的回答',
  textHint: max => `简短几个字，最多 ${max} 个字符。`,
  textTooLong: max => `最多 ${max} 个字符。`,
  submit: '提交回答',
  change: '修改回答',
  saved: '已收到你的回答。',
  answered: n => `${n} 人作答`,
  resultsHidden: '主持人稍后会公布结果。',
  hide: '收起投票',
  show: '展开投票',
  count: n => `${n} 票`
}
