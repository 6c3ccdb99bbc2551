import type { CodeInfo } from './codes.ts';

/** Error codes of the store: the database cannot take a write (disk full, read-only file, I/O error). */
export const storeCodes = {
  NX_ERR_STORE_UNAVAILABLE: {
    status: 503,
    message: {
      'zh-CN': '数据库暂时无法写入（磁盘已满、文件只读或读写错误），本次操作未保存，请稍后重试',
      en: 'The database cannot be written right now (disk full, read-only file or I/O error); nothing was saved, try again later',
    },
  },
  NX_ERR_STORE_NOT_WRITABLE: {
    status: 503,
    message: {
      'zh-CN':
        '数据库无法写入，服务不能启动：SQLite 请检查数据库文件及其目录的写权限和磁盘剩余空间；PostgreSQL 请检查服务器是否接受写入（非只读、非备库）',
      en: 'The database cannot be written, so the server does not start: for SQLite check write permission on the file and its folder and free disk space; for PostgreSQL check that the server accepts writes (not read-only, not a standby)',
    },
  },
  NX_ERR_STORE_BAD_SETTING: {
    status: 400,
    message: {
      'zh-CN': '数据库设置无效',
      en: 'A database setting is not valid',
    },
  },
} satisfies Record<string, CodeInfo>;

export type StoreCode = keyof typeof storeCodes;
