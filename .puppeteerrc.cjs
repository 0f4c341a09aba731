// The tests drive Debian's browsers; puppeteer must never download its own (no network here).
module.exports = { skipDownload: true };
