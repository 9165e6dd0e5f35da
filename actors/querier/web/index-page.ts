import type { HttpServer } from '../../../runtime/http/server.js';

/**
 * The querier's small web page at `/`: one form (query, range, step, dedup, partial response),
 * runs `/api/v1/query_range` (or `/api/v1/query` for an instant query) and shows the result as a
 * table and an SVG line graph. Plain HTML and inline JS; no framework, no external assets.
 */
export const INDEX_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>athanor query</title>
<style>
body{font:14px sans-serif;margin:1em 2em}textarea{width:100%;font:13px monospace}
table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:2px 6px;font:12px monospace;text-align:left}
#err{color:#b00;white-space:pre-wrap}#warn{color:#a60;white-space:pre-wrap}svg{border:1px solid #ddd;margin-top:1em}
</style></head><body>
<h1>athanor query</h1>
<form id="f">
<textarea id="q" rows="3" placeholder="PromQL expression, e.g. up"></textarea><br>
range <input id="range" value="1h" size="5"> step <input id="step" value="" size="5" placeholder="auto">
<label><input type="checkbox" id="dedup" checked> dedup</label>
<label><input type="checkbox" id="partial" checked> partial response</label>
<label><input type="checkbox" id="instant"> instant</label>
<button type="submit">Execute</button> <a href="/api/v1/stores">stores</a>
</form>
<div id="err"></div><div id="warn"></div>
<svg id="graph" width="900" height="300" viewBox="0 0 900 300"></svg>
<table id="table"></table>
<script>
"use strict";
var units={s:1,m:60,h:3600,d:86400,w:604800};
function secs(s){var m=/^(\\d+)([smhdw])$/.exec(s.trim());return m?Number(m[1])*units[m[2]]:Number(s);}
function labelStr(m){var n=m.__name__||"",p=[];for(var k in m)if(k!=="__name__")p.push(k+'="'+m[k]+'"');return n+"{"+p.join(",")+"}";}
function el(t,txt){var e=document.createElement(t);e.textContent=txt;return e;}
var colors=["#1f77b4","#ff7f0e","#2ca02c","#d62728","#9467bd","#8c564b","#e377c2","#7f7f7f"];
function draw(series){
  var svg=document.getElementById("graph");while(svg.firstChild)svg.removeChild(svg.firstChild);
  var x0=Infinity,x1=-Infinity,y0=Infinity,y1=-Infinity;
  series.forEach(function(s){s.values.forEach(function(p){var t=p[0],v=Number(p[1]);if(!isFinite(v))return;x0=Math.min(x0,t);x1=Math.max(x1,t);y0=Math.min(y0,v);y1=Math.max(y1,v);});});
  if(!isFinite(x0))return;if(x1===x0)x1=x0+1;if(y1===y0){y1=y0+1;}
  var ns="http://www.w3.org/2000/svg";
  series.forEach(function(s,i){
    var pts=s.values.filter(function(p){return isFinite(Number(p[1]));}).map(function(p){
      return (40+(p[0]-x0)/(x1-x0)*850).toFixed(1)+","+(290-(Number(p[1])-y0)/(y1-y0)*280).toFixed(1);});
    var pl=document.createElementNS(ns,"polyline");pl.setAttribute("points",pts.join(" "));
    pl.setAttribute("fill","none");pl.setAttribute("stroke",colors[i%colors.length]);svg.appendChild(pl);
  });
  [[y1,12],[y0,290]].forEach(function(a){var t=document.createElementNS(ns,"text");t.setAttribute("x","2");t.setAttribute("y",String(a[1]));t.setAttribute("font-size","10");t.textContent=String(a[0]);svg.appendChild(t);});
}
function table(rows){
  var tb=document.getElementById("table");tb.textContent="";
  var h=document.createElement("tr");h.appendChild(el("th","series"));h.appendChild(el("th","value"));tb.appendChild(h);
  rows.forEach(function(r){var tr=document.createElement("tr");tr.appendChild(el("td",r[0]));tr.appendChild(el("td",r[1]));tb.appendChild(tr);});
}
document.getElementById("f").addEventListener("submit",function(ev){
  ev.preventDefault();
  var q=document.getElementById("q").value,now=Date.now()/1000,range=secs(document.getElementById("range").value)||3600;
  var step=secs(document.getElementById("step").value)||Math.max(Math.ceil(range/250),1);
  var p=new URLSearchParams({query:q,dedup:String(document.getElementById("dedup").checked),partial_response:String(document.getElementById("partial").checked)});
  var instant=document.getElementById("instant").checked,url;
  if(instant){p.set("time",String(now));url="/api/v1/query?"+p;}else{p.set("start",String(now-range));p.set("end",String(now));p.set("step",String(step));url="/api/v1/query_range?"+p;}
  document.getElementById("err").textContent="";document.getElementById("warn").textContent="";
  fetch(url).then(function(r){return r.json();}).then(function(j){
    if(j.status!=="success"){document.getElementById("err").textContent=j.errorType+": "+j.error;table([]);draw([]);return;}
    if(j.warnings)document.getElementById("warn").textContent="warnings: "+j.warnings.join("\\n");
    var d=j.data;
    if(d.resultType==="matrix"){table(d.result.map(function(s){return [labelStr(s.metric),s.values.length?s.values[s.values.length-1][1]:""];}));draw(d.result);}
    else if(d.resultType==="vector"){table(d.result.map(function(s){return [labelStr(s.metric),s.value[1]];}));draw([]);}
    else{table([[d.resultType,String(d.result[1])]]);draw([]);}
  }).catch(function(e){document.getElementById("err").textContent=String(e);});
});
</script></body></html>
`;

/** Registers GET `/` serving INDEX_HTML. */
export function mountIndexPage(server: HttpServer): void {
  server.route('GET', '/', async () => ({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: INDEX_HTML }));
}
