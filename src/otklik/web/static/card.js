// Live lint on the item card: as the responder types, the server's linter (the one approval runs)
// checks the text and the findings are shown under it. Findings are put in with textContent only:
// rule messages quote the review, which is untrusted text.
(() => {
  "use strict";
  const box = document.querySelector("textarea[data-lint-url]");
  if (!box) return;
  const list = document.getElementById("lint-findings");
  const state = document.getElementById("lint-state");
  const DELAY_MS = 400;
  let timer = 0;
  let asked = 0;

  function show(findings) {
    list.replaceChildren();
    for (const f of findings) {
      const li = document.createElement("li");
      li.className = "lint " + (f.severity === "warning" ? "warning" : "error");
      const code = document.createElement("code");
      code.textContent = f.rule;
      li.append(code, " " + f.message);
      list.append(li);
    }
  }

  async function check() {
    const mine = ++asked;
    state.textContent = "Проверяю…";
    try {
      const response = await fetch(box.dataset.lintUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {"content-type": "application/json", "x-csrf-token": box.dataset.csrf},
        body: JSON.stringify({item_id: box.dataset.item, source: box.dataset.source || null, text: box.value}),
      });
      const data = await response.json();
      if (mine !== asked) return;  // a newer check is on its way
      if (!response.ok) {
        state.textContent = data.error || "Проверить текст не удалось.";
        return;
      }
      show(data.findings);
      state.textContent = data.findings.length
        ? `Замечаний: ${data.findings.length} (ошибок: ${data.errors}). Одобрение проверит текст ещё раз.`
        : "Замечаний нет.";
    } catch (err) {
      if (mine === asked) state.textContent = "Нет связи с сервером: текст проверится при одобрении.";
    }
  }

  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, DELAY_MS);
  });
})();
