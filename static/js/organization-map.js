/* Map of organisations: a Leaflet choropleth of the number of organisations per area.
 *
 * Reads everything from the data-* attributes of #organization-map (no inline script, CSP script-src 'self'):
 *   data-geojson-url       FeatureCollection with properties code, name, count, url
 *   data-tile-url          optional tile layer URL template (empty: no tiles, plain background)
 *   data-tile-attribution  attribution of that tile layer
 *   data-label-*           translated labels (legend title, "Organisations: {count}", none, zoom buttons, error)
 * Styles are set through Leaflet options and the CSSOM, which the CSP (style-src 'self') allows.
 */
(function () {
  "use strict";

  // Zero, then up to five classes from light to dark (the brand teal); darkest text stays readable.
  var ZERO_COLOR = "#f7f7f5";
  var PALETTE = ["#cfe8ec", "#9dd0d9", "#5fadbd", "#2b8299", "#0b5a6f"];

  function numberFormat(lang) {
    try {
      return new Intl.NumberFormat(lang + "-u-nu-latn"); // Western digits, as the server-side formatting
    } catch (e) {
      return new Intl.NumberFormat("en");
    }
  }

  // Class starts on a geometric scale up to the largest count (counts are skewed: a few capitals, many small
  // areas): [1, …] strictly ascending, at most five; with a largest count up to 5, one class per value.
  function classStarts(counts) {
    var max = counts.reduce(function (a, b) { return Math.max(a, b); }, 0);
    if (max <= 0) { return { starts: [], max: 0 }; }
    var k = Math.min(PALETTE.length, max);
    var starts = [1];
    for (var i = 1; i < k; i++) {
      var start = Math.max(Math.round(Math.pow(max, i / k)), starts[starts.length - 1] + 1);
      if (start > max) { break; }
      starts.push(start);
    }
    return { starts: starts, max: max };
  }

  function colorOf(count, classes) {
    if (count <= 0) { return ZERO_COLOR; }
    var n = classes.starts.length;
    var index = 0;
    while (index + 1 < n && count >= classes.starts[index + 1]) { index++; }
    // Spread fewer classes over the whole palette so the darkest always means "most".
    var paletteIndex = n === 1 ? PALETTE.length - 1 : Math.round((index * (PALETTE.length - 1)) / (n - 1));
    return PALETTE[paletteIndex];
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function textBox(tag, className, page) {
    var el = element(tag, className);
    el.dir = page.dir;
    el.lang = page.lang;
    return el;
  }

  function legendControl(classes, labels, format, page) {
    var control = L.control({ position: page.dir === "rtl" ? "bottomleft" : "bottomright" });
    control.onAdd = function () {
      var box = textBox("div", "organization-map-legend", page);
      box.appendChild(element("div", "organization-map-legend-title", labels.legend));
      var list = element("ul");
      function item(color, label, isCount) {
        var li = element("li");
        var swatch = element("span", "organization-map-swatch");
        swatch.style.backgroundColor = color;
        swatch.setAttribute("aria-hidden", "true");
        li.appendChild(swatch);
        li.appendChild(element("span", isCount ? "count" : "", label));
        list.appendChild(li);
      }
      item(ZERO_COLOR, labels.none, false);
      classes.starts.forEach(function (start, i) {
        var end = i + 1 < classes.starts.length ? classes.starts[i + 1] - 1 : classes.max;
        var label = start === end ? format.format(start) : format.format(start) + "\u2013" + format.format(end);
        item(colorOf(start, classes), label, true);
      });
      box.appendChild(list);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    return control;
  }

  function tooltip(properties, labels, format, page) {
    var box = textBox("div", "organization-map-tooltip", page);
    box.appendChild(element("strong", "", properties.name));
    box.appendChild(element("span", "", labels.count.replace("{count}", format.format(properties.count))));
    return box;
  }

  function showError(container, message) {
    var alert = element("div", "alert alert-warning", message);
    alert.setAttribute("role", "alert");
    container.hidden = true;
    container.parentNode.insertBefore(alert, container);
  }

  function draw(map, data, labels, format, page) {
    var features = (data && data.features) || [];
    var classes = classStarts(features.map(function (f) { return f.properties.count; }));
    var baseStyle = function (feature) {
      return { fillColor: colorOf(feature.properties.count, classes), fillOpacity: 0.9, color: "#ffffff", weight: 1 };
    };
    var layer = L.geoJSON(data, {
      style: baseStyle,
      onEachFeature: function (feature, area) {
        area.bindTooltip(tooltip(feature.properties, labels, format, page), { sticky: true, direction: "top" });
        area.on("mouseover", function () {
          area.setStyle({ weight: 2.5, color: "#212529" });
          area.bringToFront();
        });
        area.on("mouseout", function () { layer.resetStyle(area); });
        area.on("click", function () { window.location.assign(feature.properties.url); });
      },
    }).addTo(map);
    if (features.length) {
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    }
    legendControl(classes, labels, format, page).addTo(map);
  }

  function init() {
    var container = document.getElementById("organization-map");
    if (!container || typeof L === "undefined") { return; }
    var data = container.dataset;
    var page = {
      lang: document.documentElement.lang || "en",
      dir: document.documentElement.dir === "rtl" ? "rtl" : "ltr",
    };
    var labels = {
      legend: data.labelLegend || "",
      count: data.labelCount || "{count}",
      none: data.labelNone || "0",
      error: data.labelError || "",
    };
    var format = numberFormat(page.lang);

    container.hidden = false;
    var map = L.map(container, { zoomControl: false, scrollWheelZoom: false, zoomSnap: 0.25 });
    L.control.zoom({
      position: page.dir === "rtl" ? "topright" : "topleft",
      zoomInTitle: data.labelZoomIn || "+",
      zoomOutTitle: data.labelZoomOut || "-",
    }).addTo(map);
    map.setView([30, 5], 4); // replaced by the areas' bounds once they are loaded
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { attribution: data.tileAttribution || "", maxZoom: 18 }).addTo(map);
    }

    fetch(data.geojsonUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (geojson) { draw(map, geojson, labels, format, page); })
      .catch(function () {
        map.remove();
        showError(container, labels.error);
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
