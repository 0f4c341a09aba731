import { setViewport } from '@web/test-runner-commands';

/**
 * Sets the window to a phone or desktop size and says whether it could. WebKitGTK's MiniBrowser is
 * driven through WebDriver, which cannot set a viewport ("Setting viewport is not supported for
 * browser type webdriver"): there the window keeps its own size, the rest of the test still runs,
 * and only the checks that are about the size (`if (sized) …`) are left out.
 */
export async function resize(width: number, height: number): Promise<boolean> {
  try {
    await setViewport({ width, height });
    return true;
  } catch {
    return false;
  }
}
