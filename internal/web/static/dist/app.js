(()=>{for(let e of document.querySelectorAll("time[data-local]")){let t=new Date(e.dateTime);Number.isNaN(t.getTime())||(e.title=t.toLocaleString()+" (your time)")}})();
