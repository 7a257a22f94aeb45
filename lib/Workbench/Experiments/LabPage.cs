using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Experiments;

using Workbench.Regulation;

namespace Workbench.Experiments;

/// <summary>The grid of the offline regulation lab page: every combination is simulated in advance.</summary>
/// <param name="Regimes">Data regimes (the dropdown).</param>
/// <param name="MinimumAudiences">Minimum ad audiences in people on the platform (a slider; null = the regime's own minimum; a value below the regime's changes nothing, since the stricter applies).</param>
/// <param name="SpendingCaps">Spending caps per campaign in the base scenario's currency (a slider; null = no cap).</param>
public sealed record LabGrid(IReadOnlyList<string> Regimes, IReadOnlyList<int?> MinimumAudiences, IReadOnlyList<double?> SpendingCaps)
{
    /// <summary>The default grid on the classroom scenario (budgets 40,000): four regimes × four minimum audiences × four caps.</summary>
    public static LabGrid Default { get; } = new(["us-like", "uk-like", "germany-like", "eu-gdpr"], [null, 200, 1000, 5000], [null, 30_000, 20_000, 10_000]);
}

/// <summary>
/// The offline regulation lab: a precomputed grid of regulation scenarios on one base scenario and one page
/// with Plotly sliders (minimum audience, spending cap) and a dropdown (data regime) that redraw the charts — seats bought,
/// turnout change (suppression), targeting precision and violations — from the grid, with plotly.js inlined: no server, no network.
/// Every cell of the grid is a scenario run on the same electorates and seeds (common random numbers), through
/// <see cref="RegulationLab.Tabulate"/>.
/// </summary>
public static class LabPage
{
    /// <summary>Runs the grid on <paramref name="baseScenario"/> and returns the data the page shows (also written as lab.json).</summary>
    public static JsonObject Compute(Scenario baseScenario, LabGrid? grid = null, int? voters = null, int? replicates = null, int? threads = null, IProgress<(int Done, int Total)>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(baseScenario);
        grid ??= LabGrid.Default;
        if (grid.Regimes.Count == 0 || grid.MinimumAudiences.Count == 0 || grid.SpendingCaps.Count == 0) throw new ArgumentException("Every dimension of the grid needs at least one value.", nameof(grid));
        var ci = CultureInfo.InvariantCulture;
        var arms = baseScenario.Arms.Select(a => (a.Name, Party: a.Campaigns[0].Party)).ToArray();
        var systems = baseScenario.Systems.Select(s => s.Name).ToArray();
        var cells = new JsonObject();
        int total = grid.Regimes.Count * grid.MinimumAudiences.Count * grid.SpendingCaps.Count, done = 0;
        for (int r = 0; r < grid.Regimes.Count; r++)
            for (int a = 0; a < grid.MinimumAudiences.Count; a++)
                for (int c = 0; c < grid.SpendingCaps.Count; c++)
                {
                    var reg = (baseScenario.Regulation ?? new RegulationSpec()) with { MinimumAudience = grid.MinimumAudiences[a], SpendingCap = grid.SpendingCaps[c], Oversight = baseScenario.Regulation?.Oversight ?? 0.5 };
                    var sc = (baseScenario with { Regime = Data.DataRegime.Preset(grid.Regimes[r]), Regulation = reg, Name = $"{grid.Regimes[r]}|{a}|{c}" }).With(replicates, null, voters);
                    var outcomes = RegulationLab.Tabulate(Simulation.Run(sc, threads)).ToArray();
                    var cell = new JsonObject();
                    foreach (var (name, party) in arms)
                    {
                        var mine = outcomes.Where(o => o.Arm == name && o.Party == party).ToArray();
                        if (mine.Length == 0) { cell[name] = null; continue; }
                        cell[name] = new JsonObject
                        {
                            ["seats"] = new JsonObject(systems.Select(s => KeyValuePair.Create(s, (JsonNode?)Round(mine.FirstOrDefault(o => o.System == s)?.SeatChange ?? 0)))),
                            ["share"] = Round(mine[0].ShareChangePoints), ["turnout"] = Round(mine[0].TurnoutChangePoints), ["precision"] = Round(mine[0].Precision),
                            ["spend"] = Round(mine[0].Spend), ["violations"] = mine[0].Violations, ["detected"] = mine[0].Detected,
                        };
                    }
                    cells[$"{r}|{a}|{c}"] = cell;
                    progress?.Report((++done, total));
                }
        var run = baseScenario.With(replicates, null, voters);
        var (version, commit) = Simulation.LibraryVersion();
        return new JsonObject
        {
            ["scenario"] = baseScenario.Name, ["description"] = baseScenario.Description, ["voters"] = run.Voters, ["replicates"] = run.Replicates, ["seed"] = run.Seed,
            ["regimes"] = new JsonArray(grid.Regimes.Select(x => (JsonNode?)x).ToArray()),
            ["minimumAudiences"] = new JsonArray(grid.MinimumAudiences.Select(x => (JsonNode?)(x is int v ? v.ToString("N0", ci) + " voters" : "none")).ToArray()),
            ["spendingCaps"] = new JsonArray(grid.SpendingCaps.Select(x => (JsonNode?)(x is double v ? v.ToString("N0", ci) : "none")).ToArray()),
            ["arms"] = new JsonArray(arms.Select(x => (JsonNode?)new JsonObject { ["name"] = x.Name, ["party"] = x.Party }).ToArray()),
            ["systems"] = new JsonArray(systems.Select(x => (JsonNode?)x).ToArray()),
            ["library"] = version, ["commit"] = commit,
            ["cells"] = cells,
        };
    }

    private static JsonNode Round(double v) => JsonValue.Create(Math.Round(v, 4))!;

    /// <summary>Writes DIR/index.html (the page, self-contained) and DIR/lab.json (the grid).</summary>
    public static void Write(string directory, JsonObject data)
    {
        Directory.CreateDirectory(directory);
        var json = data.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Tables.AtomicFile.WriteAllText(Path.Combine(directory, "lab.json"), json + "\n");
        Tables.AtomicFile.WriteAllText(Path.Combine(directory, "index.html"), Html(json));
    }

    /// <summary>plotly.min.js as shipped inside the Plotly.NET assembly (so the page needs no network).</summary>
    internal static string PlotlyJs()
    {
        var asm = typeof(Plotly.NET.GenericChart).Assembly;
        var name = asm.GetManifestResourceNames().FirstOrDefault(n => n.Contains("plotly", StringComparison.OrdinalIgnoreCase) && n.EndsWith(".js", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException("plotly.js is not embedded in this Plotly.NET assembly.");
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    private static string Html(string dataJson) =>
        Html(dataJson, "<script>" + PlotlyJs().Replace("</script>", "<\\/script>") + "</script>\n", "");

    /// <summary>
    /// The lab page of <paramref name="data"/> as one page of a larger offline site (<c>workbench site</c>): plotly.js is loaded
    /// from <paramref name="plotlySrc"/> (a relative URL, e.g. assets/plotly.min.js) instead of being inlined, the page links
    /// the stylesheet <paramref name="stylesheetHref"/>, and <paramref name="headerHtml"/> (the site's navigation, a note on the
    /// configuration) is placed at the top of the body. The controls and charts are those of <see cref="Write"/>'s page.
    /// </summary>
    public static string Html(JsonObject data, string plotlySrc, string stylesheetHref, string headerHtml)
    {
        ArgumentNullException.ThrowIfNull(data);
        var json = data.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var esc = (string s) => System.Net.WebUtility.HtmlEncode(s);
        return Html(json, $"<link rel=\"stylesheet\" href=\"{esc(stylesheetHref)}\">\n<script src=\"{esc(plotlySrc)}\"></script>\n", headerHtml);
    }

    private static string Html(string dataJson, string headTail, string headerHtml)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Workbench regulation lab</title>\n");
        sb.Append("<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222}h1{font-size:1.5em}.chart{width:100%;height:420px}.note{color:#555;font-size:.9em}</style>\n");
        sb.Append(headTail).Append("</head><body>\n").Append(headerHtml);
        sb.Append("<h1>Regulation lab</h1>\n<p id=\"intro\"></p>\n");
        sb.Append("<p class=\"note\">Choose the data regime (dropdown) and move the minimum audience and the spending cap (sliders): the charts show what each campaign achieves under those rules, as means over replicates of the same synthetic electorates. Everything was simulated in advance by <code>workbench lab</code>; this page needs no server and no network.</p>\n");
        sb.Append("<div id=\"seats\" class=\"chart\" style=\"height:560px\"></div>\n<div id=\"precision\" class=\"chart\"></div>\n<div id=\"turnout\" class=\"chart\"></div>\n<pre id=\"selftest\" hidden></pre>\n");
        sb.Append("<script>\nconst D = ").Append(dataJson.Replace("</", "<\\/")).Append(";\n");
        sb.Append(Script);
        sb.Append("</script>\n</body></html>\n");
        return sb.ToString();
    }

    private const string Script = """
const state = { r: 0, a: 0, c: 0 };
document.getElementById('intro').textContent = `Scenario "${D.scenario}" (${D.voters.toLocaleString('en')} voters, ${D.replicates} replicates, seed ${D.seed}; Workbench ${D.library}). ${D.description}`;
const colors = ['#c0392b', '#2c6fbb', '#d4a017', '#2e8b57', '#7d3c98'];
function cell() { return D.cells[`${state.r}|${state.a}|${state.c}`]; }
function armsIn(c) { return D.arms.filter(a => c[a.name]); }
function seatTraces() {
  const c = cell();
  return armsIn(c).map((a, i) => ({ type: 'bar', name: `${a.name} (${a.party})`, x: D.systems, y: D.systems.map(s => c[a.name].seats[s]), marker: { color: colors[i % colors.length] } }));
}
function armBars(metric) {
  const c = cell(); const arms = armsIn(c);
  return [{ type: 'bar', x: arms.map(a => a.name), y: arms.map(a => c[a.name][metric]), marker: { color: arms.map((a, i) => colors[i % colors.length]) },
            text: arms.map(a => metric === 'turnout' ? `${c[a.name].violations} violations (${c[a.name].detected} detected)` : `spend ${Math.round(c[a.name].spend).toLocaleString('en')}`), textposition: 'auto' }];
}
function seatLayout() {
  return {
    title: { text: `Seats bought: ${D.regimes[state.r]} data, minimum audience ${D.minimumAudiences[state.a]}, cap ${D.spendingCaps[state.c]}` },
    barmode: 'group', yaxis: { title: { text: 'change in the sponsor\'s seats' } }, margin: { t: 110, b: 170 },
    updatemenus: [{ name: 'regime', type: 'dropdown', active: state.r, x: 0, xanchor: 'left', y: 1.22, yanchor: 'top', showactive: true,
                    buttons: D.regimes.map(r => ({ label: `data: ${r}`, method: 'skip', args: [] })) }],
    sliders: [
      { name: 'audience', active: state.a, y: -0.18, len: 0.45, x: 0, currentvalue: { prefix: 'Minimum audience: ' }, steps: D.minimumAudiences.map((l, i) => ({ label: l, method: 'skip', args: [], value: String(i) })) },
      { name: 'cap', active: state.c, y: -0.18, len: 0.45, x: 0.55, currentvalue: { prefix: 'Spending cap: ' }, steps: D.spendingCaps.map((l, i) => ({ label: l, method: 'skip', args: [], value: String(i) })) },
    ],
  };
}
function render() {
  Plotly.react('seats', seatTraces(), seatLayout(), { responsive: true });
  Plotly.react('precision', armBars('precision'), { title: { text: 'Targeting precision (share of contacted voters on target)' }, yaxis: { range: [0, 1] } }, { responsive: true });
  Plotly.react('turnout', armBars('turnout'), { title: { text: 'Change in turnout (points; negative = demobilisation)' } }, { responsive: true });
}
render();
const gd = document.getElementById('seats');
gd.on('plotly_sliderchange', e => { const i = Number(e.step.value); if (e.slider.name === 'audience') state.a = i; else state.c = i; render(); });
gd.on('plotly_buttonclicked', e => { state.r = e.active; render(); });
window.workbenchLab = { state, cell, render };

// Self-test (file:///…/index.html#selftest): drive the real controls through DOM events, as a mouse would, and report.
if (location.hash === '#selftest') {
  const snap = () => JSON.stringify([gd.data, document.getElementById('precision').data, document.getElementById('turnout').data].map(f => f.map(t => t.y)));
  const report = { before: snap(), stateBefore: { ...state } };
  const fire = (el, type, x, y) => el.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window, clientX: x, clientY: y, button: 0 }));
  try {
    // The dropdown: open it, then click the last regime.
    const header = gd.querySelector('.updatemenu-header');
    fire(header, 'click', 0, 0);
    const buttons = gd.querySelectorAll('.updatemenu-dropdown-button');
    report.dropdownButtons = buttons.length;
    fire(buttons[buttons.length - 1], 'click', 0, 0);
    // Each slider: press at the right end of its rail.
    gd.querySelectorAll('.slider-group').forEach(sl => {
      const rail = sl.querySelector('.slider-rail-touch-rect');
      const b = rail.getBoundingClientRect();
      fire(rail, 'mousedown', b.right - 2, b.top + b.height / 2);
      fire(rail, 'mouseup', b.right - 2, b.top + b.height / 2);
    });
  } catch (err) { report.error = String(err); }
  report.stateAfter = { ...state };
  report.after = snap();
  report.expected = cell();
  document.getElementById('selftest').textContent = JSON.stringify(report);
}
""";
}
