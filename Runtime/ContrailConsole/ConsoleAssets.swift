/// The console's one stylesheet and one script, served from the binary. The script draws the charts from the
/// `/events` stream and adds new invocations to the list; every page works without it, only less live.
enum ConsoleAssets {
    static let css = """
        :root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --accent: #2f6fde; --bad: #c62828; }
        body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: var(--ink); background: #f7f9fb; }
        header { display: flex; gap: 2rem; align-items: baseline; padding: .75rem 1.5rem; background: #102a43; color: #fff; }
        header a { color: #d9e2ec; margin-right: 1.25rem; text-decoration: none; }
        header a:hover { color: #fff; }
        main { padding: 1rem 1.5rem 3rem; }
        h1 { font-size: 1.4rem; margin: .25rem 0 1rem; }
        h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
        table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
        th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #eef2f6; font-weight: 600; }
        td.time, td.trace, td.id, td.published { font-family: ui-monospace, monospace; font-size: 12px; }
        tr.failed td.status, .error { color: var(--bad); }
        .notice { background: #e3f2e8; border: 1px solid #9fd3ae; padding: .5rem .75rem; }
        .error { background: #fdecea; border: 1px solid #f5b7b1; padding: .5rem .75rem; }
        .charts { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
        figure { margin: 0; background: #fff; border: 1px solid var(--line); padding: .5rem; }
        figcaption { margin-bottom: .25rem; }
        .summary { color: var(--muted); margin-left: .5rem; }
        .legend { width: 100%; color: var(--muted); margin: 0; }
        .swatch { display: inline-block; width: .8rem; height: .8rem; margin: 0 .25rem 0 .75rem; vertical-align: middle; }
        .swatch.count { background: #8fb3f0; } .swatch.errors { background: var(--bad); }
        .swatch.p50 { background: #2e7d32; } .swatch.p99 { background: #ef6c00; }
        form { display: inline-block; margin: 0 .25rem .25rem 0; }
        #publish { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; background: #fff; border: 1px solid var(--line); padding: .75rem; }
        #publish label { display: flex; flex-direction: column; gap: .25rem; }
        button { font: inherit; padding: .2rem .6rem; }
        input[type=number] { width: 4.5rem; }
        code { font-size: 12px; }
        ol#log-lines { background: #fff; border: 1px solid var(--line); padding: .5rem 2.5rem; }
        dl#invocation { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
        dt { color: var(--muted); } dd { margin: 0; }
        """

    static let script = """
        "use strict";
        (() => {
          const charts = document.querySelectorAll("canvas.chart");
          const list = document.querySelector("#invocations tbody");
          if (charts.length === 0 && !list) return;
          const stream = new EventSource("/events");
          stream.addEventListener("snapshot", (event) => {
            const snapshot = JSON.parse(event.data);
            for (const canvas of charts) {
              const series = snapshot.functions[canvas.dataset.function];
              if (series) draw(canvas, series, snapshot.now, snapshot.window);
            }
            if (list && list.dataset.live === "true" && snapshot.latestInvocation > Number(list.dataset.latest)) {
              addNewInvocations();
            }
          });

          let fetching = false;
          async function addNewInvocations() {
            if (fetching) return;
            fetching = true;
            try {
              const response = await fetch(`/api/v1/invocations?after=${list.dataset.latest}&limit=50`);
              const { invocations } = await response.json();
              for (const invocation of invocations.slice().reverse()) list.prepend(row(invocation));
              if (invocations.length > 0) list.dataset.latest = String(invocations[0].id);
              while (list.rows.length > 50) list.deleteRow(list.rows.length - 1);
            } finally {
              fetching = false;
            }
          }

          function row(invocation) {
            const tr = document.createElement("tr");
            tr.dataset.invocationId = String(invocation.id);
            if (invocation.failed) tr.className = "failed";
            const cells = [
              ["time", invocation.time], ["function", invocation.function], ["status", invocation.status],
              ["duration", `${invocation.durationMs} ms`], ["attempt", invocation.deliveryAttempt ?? ""],
              ["trace", invocation.traceId ?? ""],
            ];
            for (const [name, text] of cells) {
              const td = tr.insertCell();
              td.className = name;
              td.textContent = String(text);
            }
            const link = document.createElement("a");
            link.className = "logs";
            link.href = `/invocations/${invocation.id}`;
            link.textContent = "logs";
            tr.insertCell().append(link);
            return tr;
          }

          function draw(canvas, series, now, window) {
            const context = canvas.getContext("2d");
            const width = canvas.width, height = canvas.height, bottom = height - 14;
            context.clearRect(0, 0, width, height);
            const points = series.series;
            const maxCount = Math.max(1, ...points.map((p) => p.count));
            const maxLatency = Math.max(1, ...points.map((p) => p.p99Ms ?? 0));
            // Second t is drawn as the slot ending at its right edge: the current second is the last slot.
            const x = (t) => ((t - 1 - (now - window)) / window) * width;
            const barWidth = Math.max(1, width / window - 0.5);
            for (const point of points) {
              const left = x(point.t);
              context.fillStyle = "#8fb3f0";
              const h = (point.count / maxCount) * (bottom - 4);
              context.fillRect(left, bottom - h, barWidth, h);
              if (point.errors > 0) {
                context.fillStyle = "#c62828";
                const e = (point.errors / maxCount) * (bottom - 4);
                context.fillRect(left, bottom - e, barWidth, e);
              }
            }
            for (const [key, colour] of [["p50Ms", "#2e7d32"], ["p99Ms", "#ef6c00"]]) {
              context.fillStyle = colour;
              for (const point of points) {
                if (point[key] == null) continue;
                context.fillRect(x(point.t), bottom - (point[key] / maxLatency) * (bottom - 4) - 1, barWidth, 2);
              }
            }
            context.fillStyle = "#616e7c";
            context.font = "11px system-ui, sans-serif";
            context.fillText(`${maxCount}/s`, 2, 10);
            context.fillText(`${maxLatency.toFixed(1)} ms`, width - 60, 10);
            context.fillText("−5 min", 2, height - 2);
            context.fillText("now", width - 22, height - 2);
            canvas.dataset.total = String(series.windowTotal);
            const row = document.querySelector(`tr[data-function="${CSS.escape(canvas.dataset.function)}"]`);
            if (row) {
              row.querySelector("td.count").textContent = String(series.total);
              row.querySelector("td.errors").textContent = String(series.errors);
            }
            const m = series.lastMinute;
            const summary = document.querySelector(`[data-summary="${CSS.escape(canvas.dataset.function)}"]`);
            if (summary) {
              summary.textContent = `${m.ratePerSecond.toFixed(2)}/s, ${m.errorPercent.toFixed(1)}% 5xx` +
                (m.p50Ms == null ? "" : `, p50 ${m.p50Ms.toFixed(1)} ms, p99 ${m.p99Ms.toFixed(1)} ms`) +
                ` over the last minute; ${series.total} in all`;
            }
          }
        })();
        """
}
