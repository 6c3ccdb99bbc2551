import { createInterface } from 'node:readline';

/** All of standard input when it is not a terminal (a pipe or a file): the first line is the secret. */
async function firstLineOfStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trimEnd();
}

/** One line typed at the terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    process.stderr.write(prompt);
    // Echo nothing of what is typed (readline writes through _writeToOutput).
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/**
 * A password for a CLI command, never from its arguments (they show in the process list and the
 * shell history): the first line of standard input when it is piped, else typed twice at a
 * hidden prompt.
 */
export async function readSecret(what: string): Promise<string> {
  if (!process.stdin.isTTY) return firstLineOfStdin();
  const first = await askHidden(`${what}: `);
  const again = await askHidden(`再输入一次 / again: `);
  if (first !== again) throw new Error('两次输入不一致 / the two entries differ');
  return first;
}
