/**
 * The photos being attached to the next message: each is uploaded as soon as it is picked (with
 * its progress), can be removed, and its preview's object URL is released when it goes.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { uploadPhoto } from '../../shared/api.js'

export interface Attachment {
  key: number
  preview: string
  state: 'uploading' | 'done' | 'failed'
  progress: number
  fileId: string | null
  error: string | null
}

/** The photos being attached, uploaded with the participant's token. */
export function usePhotoAttachments (token: string) {
  const [items, setItems] = useState<Attachment[]>([])
  const next = useRef(1)
  const controllers = useRef(new Map<number, AbortController>())
  const itemsRef = useRef(items)
  useEffect(() => { itemsRef.current = items }, [items])

  const patch = useCallback((key: number, change: Partial<Attachment>) => {
    setItems(list => list.map(a => a.key === key ? { ...a, ...change } : a))
  }, [])

  const add = useCallback((file: File) => {
    const key = next.current++
    const controller = new AbortController()
    controllers.current.set(key, controller)
    setItems(list => [...list, { key, preview: URL.createObjectURL(file), state: 'uploading', progress: 0, fileId: null, error: null }])
    uploadPhoto(token, file, fraction => patch(key, { progress: fraction }), controller.signal).then(
      stored => patch(key, { state: 'done', progress: 1, fileId: stored.file_id }),
      (err: unknown) => { if (!controller.signal.aborted) patch(key, { state: 'failed', error: err instanceof Error ? err.message : String(err) }) }
    ).finally(() => controllers.current.delete(key))
  }, [token, patch])

  const remove = useCallback((key: number) => {
    controllers.current.get(key)?.abort()
    setItems(list => {
      const gone = list.find(a => a.key === key)
      if (gone) URL.revokeObjectURL(gone.preview)
      return list.filter(a => a.key !== key)
    })
  }, [])

  /** After sending: previews go, the ids were sent. */
  const clear = useCallback(() => {
    setItems(list => {
      for (const a of list) URL.revokeObjectURL(a.preview)
      return []
    })
  }, [])

  useEffect(() => () => { for (const a of itemsRef.current) URL.revokeObjectURL(a.preview) }, [])

  const fileIds = items.flatMap(a => a.state === 'done' && a.fileId !== null ? [a.fileId] : [])
  const isUploading = items.some(a => a.state === 'uploading')
  return { items, add, remove, clear, fileIds, isUploading }
}

export type PhotoAttachments = ReturnType<typeof usePhotoAttachments>
