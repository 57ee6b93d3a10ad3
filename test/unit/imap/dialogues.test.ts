import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { loadDialogue, play, rebuild, ofType } from './dialogue.js';
import type { UntaggedResponse } from '../../../src/protocol/imap/index.js';

/** The untagged response variant whose `kind` can be K. */
type OfKind<K> = UntaggedResponse extends infer U
  ? U extends { kind: infer X }
    ? K extends X
      ? U
      : never
    : never
  : never;

function untagged<K extends UntaggedResponse['kind']>(
  events: ReturnType<typeof play>['events'],
  kind: K,
): OfKind<K>[] {
  return ofType(events, 'untagged')
    .map((e) => e.response)
    .filter((r): r is OfKind<K> => r.kind === kind);
}

describe('recorded session (session.txt)', () => {
  const { events, codec, received, sent } = play(loadDialogue('session.txt'));

  test('every server byte is accounted for and the client lines go out unchanged', () => {
    assert.ok(rebuild(events).equals(received));
    assert.match(sent.toString(), /^a1 CAPABILITY\r\na2 LOGIN bob hunter2\r\n/);
    assert.equal(ofType(events, 'protocol-error').length, 0);
  });

  test('greeting, capabilities from codes and responses, state ends in logout', () => {
    const [greeting] = ofType(events, 'greeting');
    assert.equal(greeting?.status, 'OK');
    assert.deepEqual(
      ofType(events, 'state').map((s) => s.to),
      ['not-authenticated', 'authenticated', 'selected', 'logout'],
    );
    assert.equal(codec.state, 'logout');
    assert.ok(codec.capabilities.has('SPECIAL-USE'), 'post-login CAPABILITY code replaces the list');
    assert.ok(!codec.capabilities.has('STARTTLS'));
    assert.ok(codec.enabled.has('QRESYNC'));
  });

  test('every tagged reply completes the raw command with the same tag', () => {
    const completed = ofType(events, 'completed');
    assert.equal(completed.length, 15);
    assert.ok(completed.every((c) => c.ok));
    assert.deepEqual(
      completed.map((c) => c.command.tag),
      Array.from({ length: 15 }, (_, i) => `a${i + 1}`),
    );
    assert.equal(completed[5]?.command.verb, 'UID FETCH');
    assert.equal(codec.pending.length, 0);
  });

  test('LIST: SPECIAL-USE attributes, quoted, literal and NIL-delimiter names, extended data', () => {
    const lists = untagged(events, 'list');
    assert.deepEqual(
      lists.map((l) => l.mailbox),
      ['INBOX', 'Sent', 'Drafts', 'Odd "name"', 'Spam "folder"'],
    );
    assert.deepEqual(lists[1]?.attributes, ['\\HasNoChildren', '\\Sent']);
    assert.equal(lists[0]?.delimiter, '/');
    assert.equal(lists[4]?.delimiter, null);
    assert.equal(lists[3]?.extended?.length, 2);
  });

  test('SELECT: FLAGS, EXISTS, RECENT and every response code', () => {
    assert.deepEqual(untagged(events, 'flags')[0]?.flags.at(-1), '$Forwarded');
    assert.equal(untagged(events, 'exists')[0]?.number, 18);
    assert.equal(untagged(events, 'recent')[0]?.number, 2);
    const codes = untagged(events, 'status').flatMap((s) => (s.code ? [s.code] : []));
    const byKind = new Map(codes.map((c) => [c.kind === 'flag' || c.kind === 'other' ? c.name : c.kind, c]));
    assert.deepEqual(byKind.get('PERMANENTFLAGS'), {
      kind: 'PERMANENTFLAGS',
      flags: ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '$Forwarded', '\\*'],
    });
    assert.deepEqual(byKind.get('UNSEEN'), { kind: 'UNSEEN', value: 17 });
    assert.deepEqual(byKind.get('UIDVALIDITY'), { kind: 'UIDVALIDITY', value: 3857529045 });
    assert.deepEqual(byKind.get('UIDNEXT'), { kind: 'UIDNEXT', value: 4392 });
    assert.deepEqual(byKind.get('HIGHESTMODSEQ'), { kind: 'HIGHESTMODSEQ', value: 715194045007n });
    assert.deepEqual(byKind.get('X-VENDOR-THING'), {
      kind: 'other',
      name: 'X-VENDOR-THING',
      text: 'some words 12',
    });
    assert.deepEqual(byKind.get('COPYUID'), {
      kind: 'COPYUID',
      uidValidity: 3857529045,
      sourceUids: '4390:4391',
      destinationUids: '101:102',
    });
    const tagged = ofType(events, 'tagged');
    assert.deepEqual(tagged[4]?.code, { kind: 'flag', name: 'READ-WRITE' });
    assert.deepEqual(tagged[13]?.code, { kind: 'APPENDUID', uidValidity: 38505, uids: '3955' });
  });

  test('FETCH: ENVELOPE with typed addresses, nested BODYSTRUCTURE, MODSEQ', () => {
    const [f] = untagged(events, 'fetch');
    assert.ok(f);
    const d = f.data;
    assert.equal(d.seq, 18);
    assert.equal(d.uid, 4391);
    assert.deepEqual(d.flags, ['\\Seen', '$Forwarded']);
    assert.equal(d.internalDate, '17-Jul-1996 02:44:25 -0700');
    assert.equal(d.size, 4286);
    assert.equal(d.modseq, 715194045007n);
    assert.equal(d.envelope?.subject, 'IMAP4rev1 WG mtg summary and minutes');
    assert.deepEqual(d.envelope?.from[0], {
      name: 'Terry Gray',
      adl: null,
      mailbox: 'gray',
      host: 'cac.washington.edu',
      address: 'gray@cac.washington.edu',
    });
    assert.deepEqual(
      d.envelope?.cc.map((a) => a.address),
      ['minutes@CNRI.Reston.VA.US', 'KLENSIN@MIT.EDU'],
    );
    assert.deepEqual(d.envelope?.bcc, []);
    assert.equal(d.envelope?.messageId, '<B27397-0100000@cac.washington.edu>');

    const body = d.bodyStructure;
    assert.equal(body?.kind, 'multipart');
    if (body?.kind !== 'multipart') return;
    assert.equal(body.subtype, 'mixed');
    assert.deepEqual(body.params, { boundary: 'b1' });
    assert.deepEqual(body.language, ['EN']);
    const [alt, fwd, pdf] = body.parts;
    assert.equal(alt?.kind, 'multipart');
    if (alt?.kind === 'multipart') {
      assert.equal(alt.subtype, 'alternative');
      assert.deepEqual(
        alt.parts.map((p) => (p.kind === 'single' ? `${p.type}/${p.subtype} ${p.lines}` : 'multi')),
        ['text/plain 23', 'text/html 40'],
      );
    }
    assert.equal(fwd?.kind, 'single');
    if (fwd?.kind === 'single') {
      assert.equal(`${fwd.type}/${fwd.subtype}`, 'message/rfc822');
      assert.equal(fwd.description, 'Forwarded');
      assert.equal(fwd.envelope?.subject, 'Fwd');
      assert.equal(fwd.lines, 20);
      assert.equal(fwd.body?.kind === 'single' ? fwd.body.params['charset'] : undefined, 'UTF-8');
      assert.deepEqual(fwd.disposition, { type: 'inline', params: {} });
    }
    assert.equal(pdf?.kind, 'single');
    if (pdf?.kind === 'single') {
      assert.equal(pdf.id, '<part3@x>');
      assert.equal(pdf.size, 4554);
      assert.deepEqual(pdf.disposition, { type: 'attachment', params: { filename: 'minutes.pdf' } });
      assert.deepEqual(pdf.language, ['EN', 'DE']);
      assert.equal(pdf.location, 'http://example.org/m.pdf');
    }
  });

  test('FETCH: BODY[section]<origin> from a literal and a quoted string', () => {
    const f = untagged(events, 'fetch')[1];
    const sections = f?.data.sections ?? [];
    assert.equal(sections[0]?.item, 'BODY[HEADER.FIELDS (FROM SUBJECT)]<0>');
    assert.equal(sections[0]?.section, 'HEADER.FIELDS (FROM SUBJECT)');
    assert.equal(sections[0]?.origin, 0);
    assert.equal(
      Buffer.from(sections[0]?.value as Uint8Array).toString(),
      'From: Terry Gray <gray@cac.washington.edu>\r\nSubject: x\r\n',
    );
    assert.equal(sections[1]?.section, '1.TEXT');
    assert.equal(Buffer.from(sections[1]?.value as Uint8Array).toString(), 'short');
  });

  test('ESEARCH, SEARCH, STATUS, NAMESPACE, ID, ENABLED, EXPUNGE, VANISHED, BYE', () => {
    assert.deepEqual(untagged(events, 'esearch')[0], {
      kind: 'esearch',
      tag: 'a8',
      uid: true,
      min: 4380,
      max: 4391,
      count: 5,
      all: '4380:4382,4390:4391',
    });
    assert.deepEqual(untagged(events, 'search')[0]?.numbers, [2, 84, 882]);
    assert.deepEqual(untagged(events, 'mailbox-status')[0], {
      kind: 'mailbox-status',
      mailbox: 'Sent',
      attributes: { MESSAGES: 231, UNSEEN: 0, UIDNEXT: 44292, HIGHESTMODSEQ: 7011231777n },
    });
    assert.deepEqual(untagged(events, 'namespace')[0], {
      kind: 'namespace',
      personal: [{ prefix: '', delimiter: '/' }],
      otherUsers: [{ prefix: 'Other Users/', delimiter: '/' }],
      shared: null,
    });
    assert.deepEqual(untagged(events, 'id')[0]?.params, { name: 'Dovecot', version: null });
    assert.deepEqual(untagged(events, 'enabled')[0]?.capabilities, ['QRESYNC']);
    assert.deepEqual(
      untagged(events, 'expunge').map((e) => e.number),
      [17, 17],
    );
    assert.deepEqual(untagged(events, 'vanished')[0], {
      kind: 'vanished',
      earlier: false,
      uids: '4390:4391',
    });
    assert.equal(untagged(events, 'status').at(-1)?.status, 'BYE');
  });
});

describe('IDLE and QRESYNC (idle.txt)', () => {
  const { events, codec, received, sent } = play(loadDialogue('idle.txt'));

  test('PREAUTH greeting goes straight to authenticated; READ-ONLY select; CLOSE deselects', () => {
    assert.ok(rebuild(events).equals(received));
    assert.deepEqual(
      ofType(events, 'state').map((s) => s.to),
      ['authenticated', 'selected', 'authenticated'],
    );
    assert.equal(codec.selected, null);
  });

  test('VANISHED (EARLIER) and the pushed updates during IDLE', () => {
    assert.deepEqual(untagged(events, 'vanished')[0], {
      kind: 'vanished',
      earlier: true,
      uids: '41,43:116,118,120:211,214:540',
    });
    assert.deepEqual(
      untagged(events, 'exists').map((e) => e.number),
      [100, 101],
    );
    assert.equal(untagged(events, 'expunge')[0]?.number, 3);
    assert.deepEqual(untagged(events, 'fetch')[1]?.data.flags, ['\\Deleted']);
    const cont = ofType(events, 'continuation')[0];
    assert.equal(cont?.command?.verb, 'IDLE');
    assert.equal(sent.toString().split('\r\n')[2], 'DONE');
    assert.ok(ofType(events, 'completed').every((c) => c.ok));
  });

  test('a raw SELECT with a READ-ONLY code sets selected mailbox and read-only flag', () => {
    const { codec: c } = play(loadDialogue('idle.txt').slice(0, 3));
    assert.equal(c.state, 'selected');
    assert.equal(c.selected, 'INBOX');
    assert.equal(c.readOnly, true);
  });
});

describe('STARTTLS with injected bytes (starttls.txt)', () => {
  test('bytes after the OK in the same packet are returned unparsed in starttls-ready', () => {
    const { events, codec, received } = play(loadDialogue('starttls.txt'));
    assert.ok(rebuild(events).equals(received));
    const ready = ofType(events, 'starttls-ready');
    assert.equal(ready.length, 1);
    assert.equal(Buffer.from(ready[0]?.raw ?? []).toString(), '* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n');
    assert.equal(ofType(events, 'untagged').length, 0, 'the injected CAPABILITY is not parsed');
    assert.ok(codec.capabilities.has('LOGINDISABLED'), 'pre-TLS capabilities kept until the handshake');

    const late = codec.receive(Buffer.from('* OK injected later\r\n'));
    assert.equal(late.length, 1);
    assert.equal(late[0]?.type, 'protocol-error');
    assert.equal(
      Buffer.from(late[0]?.type === 'protocol-error' ? late[0].raw : []).toString(),
      '* OK injected later\r\n',
    );

    codec.tlsEstablished();
    assert.equal(codec.capabilities.size, 0, 'capabilities learned before TLS are forgotten');
    const after = codec.receive(Buffer.from('* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n'));
    assert.equal(after[0]?.type, 'untagged');
    assert.ok(codec.capabilities.has('AUTH=PLAIN'));
  });
});

describe('BYE and malformed input', () => {
  test('a BYE greeting moves to logout', () => {
    const { events, codec } = play(loadDialogue('bye.txt'));
    assert.equal(ofType(events, 'greeting')[0]?.status, 'BYE');
    assert.deepEqual(ofType(events, 'greeting')[0]?.code, { kind: 'flag', name: 'UNAVAILABLE' });
    assert.equal(codec.state, 'logout');
  });

  test('an untagged BYE later in the session moves to logout too', () => {
    const { events, codec } = play(loadDialogue('session.txt').slice(0, 1));
    assert.equal(events.length, 2);
    const out = codec.receive(Buffer.from('* BYE [UNAVAILABLE] shutting down\r\n'));
    assert.deepEqual(out[1], { type: 'state', from: 'not-authenticated', to: 'logout' });
  });

  test('each malformed line is one non-fatal protocol-error with its bytes, and parsing resumes', () => {
    const { events, received } = play(loadDialogue('malformed.txt'));
    assert.ok(rebuild(events).equals(received));
    const errors = ofType(events, 'protocol-error');
    assert.equal(errors.length, 8);
    assert.ok(errors.every((e) => !e.fatal));
    assert.match(errors[6]?.message ?? '', /unknown tag a999/);
    assert.match(errors[4]?.message ?? '', /STATUS/);
    assert.deepEqual(untagged(events, 'exists')[0], { kind: 'exists', number: 4 });
  });

  test('a response before the greeting is reported, not taken as the greeting', () => {
    const { events, codec } = play([{ from: 'server', bytes: Buffer.from('* 3 EXISTS\r\n* OK hi\r\n') }]);
    assert.equal(events[0]?.type, 'protocol-error');
    assert.equal(events[1]?.type, 'greeting');
    assert.equal(codec.state, 'not-authenticated');
  });
});
