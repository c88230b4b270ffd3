import { foldText, pinyinForms } from './server/modules/search/search-text.ts';
import { TextColumn } from './server/modules/search/text-index.ts';
const P='东西南北中华门街道景山交口安定和平里新桥朝阳建国外呼家楼望京酒仙海淀关村学院路清园燕万柳城金融什刹德胜月坛展览丰台卢沟长辛店银行重庆';
let s=1; const r=()=>{s=(s*1103515245+12345)%2147483648; return s/2147483648};
const names = Array.from({length:200000},(_,i)=>Array.from({length:5},()=>P[Math.floor(r()*P.length)]).join('')+'暖心驿站'+i+'号');
let t=(process.cpuUsage().user/1000); const f = names.map(foldText); console.log('fold', (process.cpuUsage().user/1000)-t);
t=(process.cpuUsage().user/1000); const p = f.map(pinyinForms); console.log('pinyin', (process.cpuUsage().user/1000)-t);
t=(process.cpuUsage().user/1000); const col = new TextColumn(p.map(x=>x!.full)); console.log('column', (process.cpuUsage().user/1000)-t);
for (const q of ['donghuamen','dhm','d','nuanxin']) { t=(process.cpuUsage().user/1000); let n=0; col.forEachMatch(q,()=>n++); console.log(q, n, (process.cpuUsage().user/1000)-t); }
t=(process.cpuUsage().user/1000); const big = p.map(x=>x!.full).join('\n'); console.log('join', (process.cpuUsage().user/1000)-t, big.length);
for (const q of ['donghuamen','zzzzqq']) { t=(process.cpuUsage().user/1000); let n=0, at=0; while((at=big.indexOf(q,at))>=0){n++;at++;} console.log('raw', q, n, (process.cpuUsage().user/1000)-t); }
