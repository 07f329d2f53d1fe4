// Walks a PST with pst-extractor and prints one JSON object per line:
// {"folder": path, "contents": n, "subfolders": n} and
// {"message": subject, "folder": path, "attachments": [{"name", "size", "sha256"}]}
'use strict';
const crypto = require('crypto');
const { PSTFile } = require('pst-extractor');

function walk(folder, path) {
    const subs = folder.hasSubfolders ? folder.getSubFolders() : [];
    console.log(JSON.stringify({ folder: path, contents: folder.contentCount, subfolders: subs.length }));
    if (folder.contentCount > 0) {
        let msg = folder.getNextChild();
        while (msg) {
            const atts = [];
            for (let i = 0; i < msg.numberOfAttachments; i++) {
                const a = msg.getAttachment(i);
                if (a.attachMethod === 5) continue;   // embedded message, not bytes
                const s = a.fileInputStream;
                if (!s) { atts.push({ name: a.longFilename || a.filename, size: -1, sha256: '' }); continue; }
                const buf = Buffer.alloc(a.filesize);
                s.readCompletely(buf);
                atts.push({ name: a.longFilename || a.filename, size: a.filesize,
                            sha256: crypto.createHash('sha256').update(buf).digest('hex') });
            }
            console.log(JSON.stringify({ message: msg.subject, folder: path, attachments: atts }));
            msg = folder.getNextChild();
        }
    }
    for (const s of subs) walk(s, (path === '/' ? '' : path) + '/' + s.displayName);
}

const f = new PSTFile(process.argv[2]);
walk(f.getRootFolder(), '/');
