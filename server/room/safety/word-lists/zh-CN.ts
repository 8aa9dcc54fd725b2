/**
 * Starter word list (zh-CN): 常见脏话与侮辱 (common swear words and insults).
 * Data only: the host edits the room's own list in the console; this seeds it.
 */
export const words: readonly string[] = [
  '他妈的',
  '操你妈',
  '草泥马',
  '傻逼',
  '煞笔',
  '傻屄',
  '妈的',
  '滚蛋',
  '去死',
  '贱人',
  '婊子',
  '狗娘养的',
  '王八蛋',
  '混蛋',
  '脑残',
  '智障',
  '废物',
  '尼玛',
  '卧槽'
]
