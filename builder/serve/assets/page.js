// Lectern's preview page: draws each lesson from /api/state, then applies the updates
// /events sends after every build. Only pictures whose version changed are reloaded.
"use strict";

const KINDS = [
  ["slides", "Slides"],
  ["handout", "Handout"],
  ["questions", "Questions"],
  ["facilitator", "Facilitator's guide"],
];

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

function pictureUrl(lesson, kind, index, version) {
  return `/lesson/${encodeURIComponent(lesson)}/${kind}/${index + 1}.png?v=${version}`;
}

function section(lesson) {
  const id = `lesson-${lesson.name}`;
  let node = document.getElementById(id);
  if (!node) {
    node = element("section", { id, class: "lesson", "data-lesson": lesson.name });
    node.append(element("h2", {}, lesson.name), element("div", { class: "error", hidden: "" }),
      element("p", { class: "downloads" }), element("ul", { class: "findings" }));
    for (const [kind, label] of KINDS) {
      const group = element("div", { class: `group ${kind === "slides" ? "slides" : "pages"}`, "data-kind": kind });
      group.append(element("h3", {}, label), element("div", { class: "grid" }));
      node.append(group);
    }
    document.getElementById("lessons").append(node);
  }
  return node;
}

function showPictures(node, lesson, kind, label, versions) {
  const grid = node.querySelector(`[data-kind="${kind}"] .grid`);
  while (grid.children.length > versions.length) grid.lastChild.remove();
  versions.forEach((version, index) => {
    let figure = grid.children[index];
    if (!figure) {
      figure = element("figure");
      const img = element("img", { alt: `${label} ${index + 1}`, "data-index": index + 1 });
      figure.append(img, element("figcaption", {}, String(index + 1)));
      grid.append(figure);
    }
    const img = figure.querySelector("img");
    if (img.dataset.version !== version) {
      const fresh = img.dataset.version !== undefined;
      img.dataset.version = version;
      img.src = pictureUrl(lesson.name, kind, index, version);
      if (fresh) {
        img.classList.add("fresh");
        setTimeout(() => img.classList.remove("fresh"), 1500);
      }
    }
  });
}

function show(lesson) {
  const node = section(lesson);
  const error = node.querySelector(".error");
  error.hidden = !lesson.error;
  error.textContent = lesson.error ? lesson.error.join("\n") : "";
  const downloads = node.querySelector(".downloads");
  downloads.replaceChildren(...lesson.downloads.map((d) => {
    const link = element("a", { href: `/lesson/${encodeURIComponent(lesson.name)}/files/${encodeURIComponent(d.name)}`, download: d.name }, d.name);
    link.title = `${Math.round(d.size / 1024)} KB`;
    return link;
  }));
  const findings = node.querySelector(".findings");
  findings.replaceChildren(...lesson.findings.map((f) => {
    const item = element("li", { class: f.severity }, f.text);
    const where = [];
    if (f.slides.length) where.push(`slide ${f.slides.join(", ")}`);
    for (const [doc, page] of f.pages) where.push(`${doc} p. ${page}`);
    if (where.length) item.append(element("span", { class: "where" }, `(${where.join("; ")})`));
    return item;
  }));
  for (const [kind, label] of KINDS) {
    const group = node.querySelector(`[data-kind="${kind}"]`);
    if (kind === "slides" && lesson.slides_note) {
      let note = group.querySelector(".note");
      if (!note) group.insertBefore(note = element("p", { class: "note" }), group.querySelector(".grid"));
      note.textContent = lesson.slides_note;
    }
    showPictures(node, lesson, kind, label, lesson.pictures[kind] || []);
  }
  node.dataset.building = lesson.building ? "yes" : "no";
}

async function start() {
  const status = document.getElementById("status");
  const state = await (await fetch("/api/state")).json();
  state.lessons.forEach(show);
  const events = new EventSource("/events");
  events.addEventListener("open", async () => {  // after a reconnection too: catch up
    status.textContent = "live";
    (await (await fetch("/api/state")).json()).lessons.forEach(show);
  });
  events.addEventListener("error", () => { status.textContent = "reconnecting…"; });
  events.addEventListener("lesson", (event) => {
    show(JSON.parse(event.data));
    status.textContent = `updated ${new Date().toLocaleTimeString()}`;
  });
}

start();
