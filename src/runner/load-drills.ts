// Loads drill files into a mocha instance with import(), so they share this process's ES modules (mocha would
// require() them, which under tsx gives the drills a second copy of the engine and its event bus).
import { pathToFileURL } from 'node:url';
import Mocha from 'mocha';

export async function loadDrillFiles(mocha: Mocha, files: string[]): Promise<void> {
  for (const file of files) {
    mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, file, mocha);
    const module: unknown = await import(pathToFileURL(file).href);
    mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_REQUIRE, module, file, mocha);
    mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_POST_REQUIRE, globalThis, file, mocha);
  }
}
