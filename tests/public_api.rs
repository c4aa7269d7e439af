//! The library's public items, listed from the source and compared with
//! `tests/data/public_api.txt`, so that the API only grows on purpose.
//!
//! An item is public when it is `pub` in a module reachable from the crate
//! root through `pub mod`, or when a reachable `pub use` re-exports it.
//! Items marked `#[doc(hidden)]` (the `eval` module for hark's own
//! harnesses) are left out. For a public struct or enum the list holds its
//! public fields or variants and the `pub` methods of its inherent impls.
//!
//! After a deliberate change: `HARK_BLESS=1 cargo test --test public_api`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Default)]
struct Module {
    /// Child modules: name → (is pub, module path).
    children: BTreeMap<String, (bool, String)>,
    /// Items declared here: name → (kind, is pub, hidden, members).
    items: BTreeMap<String, (String, bool, bool, Vec<String>)>,
    /// `pub use` entries: (exported name, path segments as written).
    uses: Vec<(String, Vec<String>)>,
}

fn is_pub(v: &syn::Visibility) -> bool {
    matches!(v, syn::Visibility::Public(_))
}

fn hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        (a.path().is_ident("doc") && a.meta.require_list().is_ok_and(|l| l.tokens.to_string() == "hidden"))
            || (a.path().is_ident("cfg") && a.meta.require_list().is_ok_and(|l| l.tokens.to_string() == "test"))
    })
}

fn use_tree(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(String, Vec<String>)>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_tree(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let mut path = prefix.clone();
            path.push(n.ident.to_string());
            out.push((n.ident.to_string(), path));
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            path.push(r.ident.to_string());
            out.push((r.rename.to_string(), path));
        }
        syn::UseTree::Group(g) => {
            for t in &g.items {
                use_tree(t, prefix, out);
            }
        }
        syn::UseTree::Glob(_) => out.push(("*".into(), prefix.clone())),
    }
}

fn type_name(t: &syn::Type) -> Option<String> {
    match t {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn load(path: &Path, dir: &Path, name: &str, modules: &mut BTreeMap<String, Module>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    walk(&file.items, dir, name, modules);
}

fn walk(items: &[syn::Item], dir: &Path, name: &str, modules: &mut BTreeMap<String, Module>) {
    let mut m = Module::default();
    let mut methods: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut children = Vec::new();
    for item in items {
        let (kind, ident, vis, attrs, members): (&str, String, &syn::Visibility, &[syn::Attribute], Vec<String>) =
            match item {
                syn::Item::Fn(f) => ("fn", f.sig.ident.to_string(), &f.vis, &f.attrs, vec![]),
                syn::Item::Struct(s) => {
                    let fields = s
                        .fields
                        .iter()
                        .filter(|f| is_pub(&f.vis))
                        .filter_map(|f| f.ident.as_ref().map(|i| format!("field {i}")))
                        .collect();
                    ("struct", s.ident.to_string(), &s.vis, &s.attrs, fields)
                }
                syn::Item::Enum(e) => {
                    let vars = e.variants.iter().map(|v| format!("variant {}", v.ident)).collect();
                    ("enum", e.ident.to_string(), &e.vis, &e.attrs, vars)
                }
                syn::Item::Trait(t) => {
                    let fns = t
                        .items
                        .iter()
                        .filter_map(|i| match i {
                            syn::TraitItem::Fn(f) => Some(format!("fn {}", f.sig.ident)),
                            _ => None,
                        })
                        .collect();
                    ("trait", t.ident.to_string(), &t.vis, &t.attrs, fns)
                }
                syn::Item::Const(c) => ("const", c.ident.to_string(), &c.vis, &c.attrs, vec![]),
                syn::Item::Static(s) => ("static", s.ident.to_string(), &s.vis, &s.attrs, vec![]),
                syn::Item::Type(t) => ("type", t.ident.to_string(), &t.vis, &t.attrs, vec![]),
                syn::Item::Use(u) => {
                    if is_pub(&u.vis) && !hidden(&u.attrs) {
                        use_tree(&u.tree, &mut Vec::new(), &mut m.uses);
                    }
                    continue;
                }
                syn::Item::Mod(md) => {
                    if hidden(&md.attrs) {
                        continue;
                    }
                    let child = format!("{name}::{}", md.ident);
                    m.children
                        .insert(md.ident.to_string(), (is_pub(&md.vis), child.clone()));
                    children.push((md, child));
                    continue;
                }
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    if let Some(t) = type_name(&i.self_ty) {
                        for ii in &i.items {
                            if let syn::ImplItem::Fn(f) = ii {
                                if is_pub(&f.vis) && !hidden(&f.attrs) {
                                    methods
                                        .entry(t.clone())
                                        .or_default()
                                        .push(format!("fn {}", f.sig.ident));
                                }
                            }
                            if let syn::ImplItem::Const(c) = ii {
                                if is_pub(&c.vis) {
                                    methods.entry(t.clone()).or_default().push(format!("const {}", c.ident));
                                }
                            }
                        }
                    }
                    continue;
                }
                syn::Item::Macro(mac) => {
                    // `named_enum!(Type, …)` gives the type ALL, name and describe.
                    if mac.mac.path.is_ident("named_enum") {
                        if let Some(t) = mac.mac.tokens.to_string().split(',').next() {
                            let e = methods.entry(t.trim().to_string()).or_default();
                            e.extend(["const ALL".into(), "fn describe".into(), "fn name".into()]);
                        }
                    }
                    continue;
                }
                _ => continue,
            };
        m.items
            .insert(ident, (kind.into(), is_pub(vis), hidden(attrs), members));
    }
    for (t, ms) in methods {
        if let Some(item) = m.items.get_mut(&t) {
            item.3.extend(ms);
        }
    }
    modules.insert(name.to_string(), m);
    for (md, child) in children {
        let leaf = md.ident.to_string();
        if let Some((_, items)) = &md.content {
            walk(items, &dir.join(&leaf), &child, modules);
            continue;
        }
        let flat = dir.join(format!("{leaf}.rs"));
        let nested = dir.join(&leaf).join("mod.rs");
        let path = if flat.exists() { flat } else { nested };
        load(&path, &dir.join(&leaf), &child, modules);
    }
}

/// Resolve `segments` (as written in a `use` in module `from`) to a
/// defining module and item name.
fn resolve(modules: &BTreeMap<String, Module>, from: &str, segments: &[String]) -> Option<(String, String)> {
    let mut module = from.to_string();
    let mut segs = segments;
    match segs.first().map(String::as_str) {
        Some("crate") => {
            module = "crate".into();
            segs = &segs[1..];
        }
        Some("self") => segs = &segs[1..],
        _ => {}
    }
    while segs.first().map(String::as_str) == Some("super") {
        module = module.rsplit_once("::").map(|p| p.0.to_string()).unwrap_or(module);
        segs = &segs[1..];
    }
    let (last, path) = segs.split_last()?;
    for s in path {
        let m = modules.get(&module)?;
        module = m.children.get(s)?.1.clone();
    }
    Some((module, last.clone()))
}

fn surface(root: &Path) -> BTreeSet<String> {
    let mut modules = BTreeMap::new();
    load(&root.join("src/lib.rs"), &root.join("src"), "crate", &mut modules);
    let mut out = BTreeSet::new();
    let mut reachable: Vec<(String, String)> = vec![("crate".into(), "hark".into())];
    let mut seen = BTreeSet::new();
    let list_item = |out: &mut BTreeSet<String>, public: &str, m: &Module, name: &str| {
        if let Some((kind, _, hide, members)) = m.items.get(name) {
            if *hide {
                return;
            }
            out.insert(format!("{kind} {public}"));
            for mem in members {
                out.insert(format!("{kind} {public}: {mem}"));
            }
        }
    };
    while let Some((module, public)) = reachable.pop() {
        if !seen.insert(module.clone()) {
            continue;
        }
        let Some(m) = modules.get(&module) else { continue };
        out.insert(format!("mod {public}"));
        for (name, (kind, pubd, hide, _)) in &m.items {
            if *pubd && !hide {
                let _ = kind;
                list_item(&mut out, &format!("{public}::{name}"), m, name);
            }
        }
        for (name, (pubd, child)) in &m.children {
            if *pubd {
                reachable.push((child.clone(), format!("{public}::{name}")));
            }
        }
        for (exported, segs) in &m.uses {
            let Some((def_mod, item)) = resolve(&modules, &module, segs) else {
                out.insert(format!("use {public}::{exported} (unresolved: {})", segs.join("::")));
                continue;
            };
            let Some(d) = modules.get(&def_mod) else { continue };
            if let Some((_, child)) = d.children.get(&item) {
                reachable.push((child.clone(), format!("{public}::{exported}")));
            } else if d.items.contains_key(&item) {
                list_item(&mut out, &format!("{public}::{exported}"), d, &item);
            } else {
                // A re-export of a re-export, or of another crate's item.
                out.insert(format!("use {public}::{exported} = {}", segs.join("::")));
            }
        }
    }
    out
}

#[test]
fn public_api_is_as_listed() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let got: Vec<String> = surface(&root).into_iter().collect();
    let listed = root.join("tests/data/public_api.txt");
    if std::env::var_os("HARK_BLESS").is_some() {
        std::fs::write(&listed, got.join("\n") + "\n").unwrap();
    }
    let want: Vec<String> = std::fs::read_to_string(&listed)
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect();
    let added: Vec<&String> = got.iter().filter(|l| !want.contains(l)).collect();
    let removed: Vec<&String> = want.iter().filter(|l| !got.contains(l)).collect();
    let items = got.iter().filter(|l| !l.contains(": ")).count();
    println!("{} public items ({} lines with members)", items, got.len());
    assert!(
        added.is_empty() && removed.is_empty(),
        "the public API changed; if on purpose, run HARK_BLESS=1 cargo test --test public_api\nadded:\n  {}\nremoved:\n  {}",
        added.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
        removed.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  ")
    );
}
