import type { ScalarField } from '../../../engine/entry/definition.ts';
import { h } from './dom.ts';
import type { Control } from './form-fields.ts';
import { tr } from './i18n.ts';

interface Geopoint {
  lat: number;
  lon: number;
  accuracy?: number;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Why the browser gave no position, in words the worker can act on. */
function whyNot(code: number | 'unsupported', required: boolean): string {
  const skip = required
    ? ''
    : tr('此项不是必填，也可以不记录。', ' This is optional: you may leave it empty.');
  if (code === 'unsupported')
    return tr(
      `这个浏览器不能定位（需要 HTTPS 网址和支持定位的浏览器）。${skip}`,
      `This browser cannot give a location (it needs an HTTPS address and a browser with location).${skip}`,
    );
  if (code === 1)
    return tr(
      `没有允许本网站使用位置：请在浏览器的网站设置中允许“位置信息”，再点“记录当前位置”。${skip}`,
      `This site may not use your location: allow “Location” in the browser's site settings, then press “Record my location” again.${skip}`,
    );
  if (code === 3)
    return tr(
      `定位超时：请到开阔处再试一次。${skip}`,
      `Locating took too long: try again in the open.${skip}`,
    );
  return tr(
    `无法确定位置（没有卫星或网络信号）：请打开定位服务，到开阔处再试。${skip}`,
    `The position could not be found (no satellite or network signal): turn location on and try again in the open.${skip}`,
  );
}

/**
 * `geopoint`: where the form is filled, from the browser's geolocation (WGS 84 with its accuracy
 * in metres) at the worker's request — never by itself. A refusal (permission denied, no signal,
 * timeout) is said in words with what to do.
 */
export function geopointControl(
  f: Extract<ScalarField, { type: 'geopoint' }>,
  id: string,
  describedBy: string,
): Control {
  let value: Geopoint | undefined;
  const group = h('div', { class: 'geopoint', role: 'group', id, tabindex: -1 });
  group.setAttribute('aria-describedby', describedBy);
  const locate = h('button', { type: 'button', class: 'locate' }, tr('记录当前位置', 'Record my location'));
  const clear = h(
    'button',
    { type: 'button', class: 'clear-location' },
    tr('清除位置', 'Clear the location'),
  );
  const shown = h('p', { class: 'location', 'aria-live': 'polite' });
  const refused = h('p', { class: 'error geo-error', role: 'alert' });
  group.append(shown, h('div', { class: 'pick-row' }, locate, clear), refused);
  const changed = () => group.dispatchEvent(new Event('change', { bubbles: true }));

  const draw = () => {
    group.dataset.state = value ? 'located' : 'empty';
    clear.hidden = !value || f.readOnly === true;
    shown.textContent = value
      ? tr(
          `纬度 ${value.lat}，经度 ${value.lon}${value.accuracy === undefined ? '' : `，误差约 ${Math.round(value.accuracy)} 米`}`,
          `Latitude ${value.lat}, longitude ${value.lon}${value.accuracy === undefined ? '' : `, within about ${Math.round(value.accuracy)} m`}`,
        )
      : tr('尚未记录位置', 'No location recorded');
  };
  locate.addEventListener('click', () => {
    refused.textContent = '';
    if (!('geolocation' in navigator) || !window.isSecureContext) {
      refused.textContent = whyNot('unsupported', f.required === true);
      return;
    }
    locate.disabled = true;
    shown.textContent = tr('正在定位…', 'Locating…');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        locate.disabled = false;
        value = {
          lat: round(pos.coords.latitude, 6),
          lon: round(pos.coords.longitude, 6),
          accuracy: round(pos.coords.accuracy, 1),
        };
        draw();
        changed();
      },
      (err) => {
        locate.disabled = false;
        refused.textContent = whyNot(err.code, f.required === true);
        draw();
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  });
  clear.addEventListener('click', () => {
    value = undefined;
    draw();
    changed();
    locate.focus();
  });
  locate.hidden = f.readOnly === true;
  draw();
  return {
    focusable: group,
    node: group,
    read: () => (value ? { ...value } : undefined),
    write: (v) => {
      const g = v as Partial<Geopoint> | undefined;
      value =
        g && typeof g.lat === 'number' && typeof g.lon === 'number'
          ? { lat: g.lat, lon: g.lon, ...(typeof g.accuracy === 'number' ? { accuracy: g.accuracy } : {}) }
          : undefined;
      draw();
    },
  };
}
