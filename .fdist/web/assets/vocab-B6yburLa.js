import{G as t,s as e,q as f}from"./resources-CiR35_vn.js";function o(r){const s=t.codes;return r?s.filter(a=>e(a)===r):[...s]}function c(r){return f[r]??[]}export{o as g,c as r};
