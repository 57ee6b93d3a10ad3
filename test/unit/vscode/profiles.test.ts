import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialKey, profileEntry, readProfiles } from '../../../src/vscode/profiles.js';

describe('readProfiles', () => {
  test('valid entries become profiles; the user comes from the profile or the URL', () => {
    const { profiles, problems } = readProfiles([
      { name: 'Sandbox IMAP', url: 'imap://127.0.0.1:1143', user: 'alice', acceptUnverified: true },
      { name: 'Work', url: 'imaps://bob@mail.example.com' },
    ]);
    assert.deepEqual(problems, []);
    assert.equal(profiles.length, 2);
    assert.equal(profiles[0]?.target.user, 'alice');
    assert.equal(profiles[0]?.acceptUnverified, true);
    assert.equal(profiles[1]?.user, 'bob');
    assert.equal(profiles[1]?.target.port, 993);
  });

  test('each bad entry is reported by index and name, and the good ones are kept', () => {
    const { profiles, problems } = readProfiles([
      'imap://h',
      { url: 'imap://h' },
      { name: 'A', url: 'ftp://h' },
      { name: 'B', url: 'imap://h', password: 'hunter2' },
      { name: 'C', url: 'imap://h', colour: 'red' },
      { name: 'D', url: 'imap://h', acceptUnverified: 'yes' },
      { name: 'E', url: 'imap://x@h', user: 'y' },
      { name: 'F', url: 'imap://h' },
      { name: 'F', url: 'imap://other' },
    ]);
    assert.deepEqual(
      profiles.map((p) => p.name),
      ['F'],
    );
    assert.equal(problems.length, 8);
    assert.match(problems[0] ?? '', /connections\[0\] must be an object/);
    assert.match(problems[1] ?? '', /connections\[1\] has no "name"/);
    assert.match(problems[2] ?? '', /\("A"\): unsupported scheme/);
    assert.match(problems[3] ?? '', /secrets go in the secret storage/);
    assert.ok(!problems.join('\n').includes('hunter2'), 'a password in settings is never echoed');
    assert.match(problems[4] ?? '', /unknown key "colour"/);
    assert.match(problems[5] ?? '', /acceptUnverified/);
    assert.match(problems[6] ?? '', /differs from the user in the URL/);
    assert.match(problems[7] ?? '', /another profile already has this name/);
  });

  test('a missing or non-array setting', () => {
    assert.deepEqual(readProfiles(undefined), { profiles: [], problems: [] });
    assert.match(readProfiles({}).problems[0] ?? '', /must be an array/);
  });

  test('profileEntry writes only what is set', () => {
    assert.deepEqual(profileEntry('n', 'imap://h:143', undefined, false), { name: 'n', url: 'imap://h:143' });
    assert.deepEqual(profileEntry('n', 'imap://h:143', 'al', true), {
      name: 'n',
      url: 'imap://h:143',
      user: 'al',
      acceptUnverified: true,
    });
    assert.equal(readProfiles([profileEntry('n', 'imaps://h:993', 'al', true)]).profiles.length, 1);
  });

  test('credential keys differ per profile, user and host and ignore host case', () => {
    const k = credentialKey('Work', 'alice', 'Mail.Example.com');
    assert.equal(k, credentialKey('Work', 'alice', 'mail.example.com'));
    assert.notEqual(k, credentialKey('Home', 'alice', 'mail.example.com'));
    assert.notEqual(k, credentialKey('Work', 'bob', 'mail.example.com'));
    assert.notEqual(k, credentialKey('Work', 'alice', 'other.example.com'));
    assert.notEqual(credentialKey('a/b', 'c', 'h'), credentialKey('a', 'b/c', 'h'));
  });
});
